import { demoIds } from 'db';
import { type StorageTarget, snapshotTables, storageTargets, type TableSnapshot } from 'db/testing';
import fc from 'fast-check';
import { ErrorBody } from 'shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../sim/src/server';
import { wechatLogin } from '../../../sim/src/wechat/code2session';
import { startTestApp, type TestApp } from '../testing';
import { HOSTILE_STRINGS, type HostileBody, hostileBody } from './hostile.fixture';

/**
 * Every route in /openapi.json and every webhook, sent hostile input by fast-check: malformed
 * JSON and forms, wrong types and encodings, injection strings, ids above 2^53, negative and
 * fractional money, unicode edge cases, huge bodies; anonymous and with valid staff and member
 * tokens. Each answer must be a clean 4xx in the JSON error shape (webhooks: the platform's own
 * JSON), never a 5xx, and the business tables must be unchanged afterwards.
 *
 * `HEYI_FUZZ_RUNS` (requests per route, default 10 on SQLite and 3 on MariaDB) and
 * `HEYI_FUZZ_SEED` widen or vary a local run; CI runs the fixed seed.
 */
const RUNS = Number(process.env.HEYI_FUZZ_RUNS ?? 0);
const SEED = Number(process.env.HEYI_FUZZ_SEED ?? 20261204);

interface Operation {
  method: string;
  path: string;
  auth: 'public' | 'staff' | 'member';
  pathParams: string[];
  queryParams: string[];
  body: { kind: 'json' | 'form'; fields: string[] } | null;
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        security: Record<string, unknown>[];
        parameters: { name: string; in: string }[];
        requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
}

function operations(doc: OpenApi): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const scheme = Object.keys(op.security[0] ?? {})[0];
      const content = Object.entries(op.requestBody?.content ?? {})[0];
      out.push({
        method: method.toUpperCase(),
        path,
        auth: scheme === 'staffToken' ? 'staff' : scheme === 'memberToken' ? 'member' : 'public',
        pathParams: op.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: op.parameters.filter((p) => p.in === 'query').map((p) => p.name),
        body: content
          ? {
              kind: content[0] === 'application/json' ? 'json' : 'form',
              fields: Object.keys(content[1].schema.properties ?? {}),
            }
          : null,
      });
    }
  }
  return out;
}

/** Webhooks read their raw body themselves, so every one is also sent bodies of each kind. */
const isWebhook = (op: Operation) => op.path.startsWith('/webhooks/');

interface HostileRequest {
  url: string;
  token: string | undefined;
  body: HostileBody;
}

const STORE = demoIds.store('SH001');

function requestFor(op: Operation, tokens: { staff: string; member: string }): fc.Arbitrary<HostileRequest> {
  // A real store lets staff routes past the scope check into the handlers. Where the path is all
  // there is to a request (no body: an action like "bind this store"), a real store would make a
  // valid request, and a live stream of a real store is a legitimate 200 that never ends.
  const realStore = !op.path.endsWith('/stream') && (op.method === 'GET' || op.body !== null);
  const param = (name: string) =>
    name === 'storeId' && realStore
      ? fc.oneof(fc.constant(STORE), fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 30 }))
      : fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 30 }));
  const path = fc
    .tuple(...op.pathParams.map(param))
    .map((values) =>
      op.pathParams.reduce(
        (p, name, i) => p.replace(`{${name}}`, encodeURIComponent(values[i] as string) || '%20'),
        op.path,
      ),
    );
  const query = fc
    .array(fc.tuple(fc.constantFrom(...op.queryParams, 'unknown', '__proto__'), fc.constantFrom(...HOSTILE_STRINGS)), {
      maxLength: 3,
    })
    .map((pairs) => new URLSearchParams(pairs).toString());
  const token =
    op.auth === 'public'
      ? fc.constant(undefined)
      : fc.constantFrom(undefined, op.auth === 'staff' ? tokens.staff : tokens.member, 'not.a.jwt');
  const wantsBody = op.body !== null || (isWebhook(op) && op.method === 'POST');
  const body = wantsBody
    ? hostileBody(op.body?.fields ?? [], op.body?.kind ?? 'json')
    : fc.constant<HostileBody>({ contentType: undefined, body: undefined });
  return fc
    .record({ path, query, token, body })
    .map((r) => ({ url: r.query ? `${r.path}?${r.query}` : r.path, token: r.token, body: r.body }));
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function send(base: string, method: string, req: HostileRequest): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (req.body.contentType) headers['content-type'] = req.body.contentType;
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  const res = await fetch(base + req.url, {
    method,
    headers,
    ...(req.body.body === undefined || method === 'GET' ? {} : { body: req.body.body }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** What is wrong with an answer to a hostile request, or null when it is a clean refusal. */
function problem(op: Operation, answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) {
    // Reads may answer a garbled query with data; webhooks answer an empty console probe.
    if (op.method === 'GET' || isWebhook(op)) return null;
    return `accepted it with ${answer.status}`;
  }
  if (!answer.contentType.includes('application/json')) return `refused with ${answer.contentType || 'no'} body`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.text);
  } catch {
    return 'refused with a body that is not JSON';
  }
  if (isWebhook(op)) return null;
  return ErrorBody.safeParse(parsed).success ? null : `refused outside the error shape: ${answer.text.slice(0, 200)}`;
}

function changedTables(before: TableSnapshot, after: TableSnapshot): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => JSON.stringify(before[t]) !== JSON.stringify(after[t]));
}

const describeFor = (storage: StorageTarget) => `hostile input on every route (${storage.dialect})`;

describe.each(storageTargets())('$dialect', (storage) => {
  let sim: RunningSimulator;
  let app: TestApp;
  let tokens: { staff: string; member: string };
  let ops: Operation[];
  const runs = RUNS || (storage.dialect === 'sqlite' ? 10 : 3);

  beforeAll(async () => {
    sim = await startSimulator();
    app = await startTestApp(storage, { env: { SIM_BASE_URL: sim.url } });
    const code = wechatLogin(sim.state).issueCode({ openid: 'o-fuzz' });
    const member = (await app.request('POST', '/api/mp/auth/login', { body: { code } })).body.token as string;
    tokens = { staff: await app.login('hq'), member };
    ops = operations((await app.request('GET', '/openapi.json')).body as OpenApi);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  it(describeFor(storage), async () => {
    const webhooks = ops.filter(isWebhook).map((o) => o.path);
    for (const hook of ['/webhooks/eleme', '/webhooks/wechatpay/transactions', '/webhooks/meituan/new-order']) {
      expect(webhooks).toContain(hook);
    }
    const findings: string[] = [];
    const limit = app.container.config.bodyLimitBytes;
    for (const op of ops) {
      const label = `${op.method} ${op.path}`;
      const before = await snapshotTables(app.database);
      try {
        await fc.assert(
          fc.asyncProperty(requestFor(op, tokens), async (req) => {
            const answer = await send(app.url, op.method, req);
            const wrong = problem(op, answer);
            if (wrong) throw new Error(`${wrong}: ${answer.text.slice(0, 200)}`);
          }),
          { numRuns: runs, seed: SEED, endOnFailure: true },
        );
        if (op.body || (isWebhook(op) && op.method === 'POST')) {
          const huge = await send(app.url, op.method, {
            url: op.path.replace(/\{[^}]+\}/g, STORE),
            token: op.auth === 'staff' ? tokens.staff : op.auth === 'member' ? tokens.member : undefined,
            body: { contentType: 'application/json', body: `{"x":"${'x'.repeat(limit)}"}` },
          });
          if (huge.status !== 413 && huge.status !== 401) findings.push(`${label}: a huge body got ${huge.status}`);
        }
      } catch (err) {
        findings.push(`${label}: ${(err as Error).message.split('\n').slice(0, 6).join(' | ')}`);
      }
      const changed = changedTables(before, await snapshotTables(app.database));
      if (changed.length > 0) findings.push(`${label}: hostile input wrote to ${changed.join(', ')}`);
    }
    expect(findings).toEqual([]);
  }, 240_000);
});
