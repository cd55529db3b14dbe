import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemo } from 'db';
import { type StorageTarget, type TestDatabase, testRedisUrl, uniqueTestName } from 'db/testing';
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
  if (url) targets.push({ kind: 'redis', create: () => new RedisCache(url, `${uniqueTestName('heyi_t')}:`) });
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

export interface BffProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

const bffRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A real BFF process (`bff/src/server.ts`, as `pnpm start:bff` runs it) on a random port, with
 * test secrets; `env` adds to or overrides them. Resolves with its URL once it listens; rejects
 * with its output if it exits or does not start in time.
 */
export async function startBffProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<BffProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: bffRoot,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      JWT_SECRET: 'bff-process-secret-bff-process-secret',
      DATA_ENCRYPTION_KEY: 'aa'.repeat(32),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`BFF did not start:\n${log}`)), timeoutMs);
    const onData = (data: Buffer) => {
      log += data.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(log);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`BFF exited with ${code}:\n${log}`)));
  });
  return { child, url, exited };
}
