import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Database, seedDemo } from 'db';
import { type StorageTarget, type TestDatabase, testRedisUrl, uniqueTestName } from 'db/testing';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { createApp } from '../app';
import { type Cache, MemoryCache, RedisCache } from '../cache';
import { type Config, loadConfig } from '../config';
import { buildContainer, type Container } from '../container';
import type { Clock } from '../lib/clock';

export interface CacheTarget {
  kind: 'memory' | 'redis';
  create(): Cache;
}

/** The caches every cache test runs on: in-process always, and the real Redis when there is one. */
export function cacheTargets(): CacheTarget[] {
  const targets: CacheTarget[] = [{ kind: 'memory', create: () => new MemoryCache() }];
  const url = testRedisUrl();
  // A generous command timeout: on a loaded test machine a late reply must not read as an outage.
  const options = () => ({ prefix: `${uniqueTestName('heyi_t')}:`, commandTimeoutMs: 2000 });
  if (url) targets.push({ kind: 'redis', create: () => new RedisCache(url, options()) });
  return targets;
}

/** Test settings: fixed secrets, silent logs, a private Redis prefix, the given storage. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      JWT_SECRET: 'test-secret-test-secret-test-secret!!',
      DATA_ENCRYPTION_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
      REDIS_KEY_PREFIX: `${uniqueTestName('heyi_t')}:`,
      // Outage tests set their own; elsewhere a loaded test machine must not look like a Redis outage.
      REDIS_COMMAND_TIMEOUT_MS: '2000',
      WORKERS_ENABLED: 'false',
      MIGRATE_ON_START: 'false',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    path.join(os.tmpdir(), 'heyi-test-data'),
  );
}

export interface TestApp {
  url: string;
  container: Container;
  database: TestDatabase;
  /** Sends a JSON request and answers the status and the parsed body. */
  request(method: string, urlPath: string, options?: RequestOptions): Promise<TestResponse>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text, sent as is (with `contentType`). */
  raw?: string | Buffer;
  contentType?: string;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response bodies
  body: any;
  text: string;
}

export async function sendRequest(
  baseUrl: string,
  method: string,
  urlPath: string,
  options: RequestOptions = {},
): Promise<TestResponse> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    if (options.contentType) headers['content-type'] = options.contentType;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(baseUrl + urlPath, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; tests look at `text`
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/**
 * Starts the real app in-process on a random port, against a fresh database of the target kind
 * (seeded with the demo brand) and the real Redis when `redis` is true.
 */
export async function startTestApp(
  storage: StorageTarget,
  options: { redis?: boolean; clock?: Clock; env?: Record<string, string>; seed?: boolean } = {},
): Promise<TestApp> {
  const database = await storage.create();
  if (options.seed !== false) await seedDemo(database.db, {});
  const redisUrl = options.redis ? testRedisUrl() : null;
  const config = testConfig({
    DATABASE_URL: database.url,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    ...options.env,
  });
  const container = await buildContainer(config, {
    database,
    logger: pino({ level: 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const server = http.createServer(createApp(container).callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const request = (method: string, urlPath: string, opts?: RequestOptions) => sendRequest(url, method, urlPath, opts);
  return {
    url,
    container,
    database,
    request,
    async login(username, password = 'heyi-demo') {
      const res = await request('POST', '/api/admin/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${res.text}`);
      return res.body.token as string;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await container.close();
      await database.drop();
    },
  };
}

// Real BFF processes and private MariaDB/Redis servers for fault tests live in one file.
export { type BffProcess, startBffProcess } from './private-services';

/** How many rows a table holds: tests compare it before and after a refusal to prove nothing was written. */
export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table as 'orders')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
