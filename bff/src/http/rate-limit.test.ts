import net from 'node:net';
import { type StorageTarget, storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../sim/src/server';
import { wechatLogin } from '../../../sim/src/wechat/code2session';
import { startTestApp, type TestApp } from '../testing';
import { SIGN_IN_RULES } from './rate-limit';

/**
 * Each test signs in from its own address, as the app's one proxy reports it: the last
 * X-Forwarded-For entry. The entries before it are the client's own say, changed on every request
 * here, and must not buy a fresh bucket.
 */
let spoofed = 0;
const from = (ip: string) => ({ 'x-forwarded-for': `192.0.2.${++spoofed % 250}, ${ip}` });

describe.each(storageTargets())('sign-in rate limits on $dialect', (storage) => {
  let sim: RunningSimulator;
  let app: TestApp;
  beforeAll(async () => {
    sim = await startSimulator();
    // MariaDB runs with the real Redis, so the buckets are the shared ones every process sees.
    app = await startTestApp(storage, { redis: storage.dialect === 'mysql', env: { SIM_BASE_URL: sim.url } });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
  });

  const staffLogin = (username: string, password: string, ip: string) =>
    app.request('POST', '/api/admin/login', { body: { username, password }, headers: from(ip) });

  it('slows down one address that tries many staff usernames, and no other address', async () => {
    // Refilled at one every 10 s while this runs: guessed until refused.
    let failed = 0;
    for (let i = 0; i < SIGN_IN_RULES.staffIp.capacity * 2; i++) {
      const res = await staffLogin(`guess-${i}`, 'password1', '203.0.113.7');
      if (res.status === 429) break;
      expect(res.status).toBe(401);
      failed++;
    }
    expect(failed).toBeGreaterThanOrEqual(SIGN_IN_RULES.staffIp.capacity);
    const refused = await staffLogin('hq', 'heyi-demo', '203.0.113.7');
    expect([refused.status, refused.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await staffLogin('hq', 'heyi-demo', '203.0.113.8')).status).toBe(200);
  });

  it('does not count successful staff sign-ins', async () => {
    for (let i = 0; i < SIGN_IN_RULES.staffUser.capacity + 2; i++) {
      expect((await staffLogin('clerk-sh001', 'heyi-demo', '203.0.113.9')).status).toBe(200);
    }
  });

  it('limits member sign-ins per address, with Retry-After', async () => {
    const login = (code: string, ip: string) =>
      app.request('POST', '/api/mp/auth/login', { body: { code }, headers: from(ip) });
    // The bucket refills at one a second while this runs, so it is tried until refused.
    const passed: number[] = [];
    let refused: Awaited<ReturnType<typeof login>> | undefined;
    for (let i = 0; i < SIGN_IN_RULES.memberIp.capacity * 2 && !refused; i++) {
      const code = i % 2 === 0 ? wechatLogin(sim.state).issueCode({ openid: `o-limit-${i}` }) : `not-a-code-${i}`;
      const res = await login(code, '198.51.100.4');
      if (res.status === 429) refused = res;
      else passed.push(res.status);
    }
    expect(passed.length).toBeGreaterThanOrEqual(SIGN_IN_RULES.memberIp.capacity);
    expect(new Set(passed)).toEqual(new Set([200, 401]));
    expect(refused?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    const code = wechatLogin(sim.state).issueCode({ openid: 'o-limit-last' });
    const elsewhere = await login(code, '198.51.100.5');
    expect(elsewhere.status).toBe(200);
  });
});

describe('sign-in while Redis is down', () => {
  let app: TestApp;
  beforeAll(async () => {
    // A Redis URL where nothing listens: the cache never answers.
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    app = await startTestApp(storageTargets()[0] as StorageTarget, {
      env: { REDIS_URL: `redis://127.0.0.1:${port}` },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('keeps staff sign-in working, still limited (the cache falls back to in-process buckets)', async () => {
    const res = await app.request('POST', '/api/admin/login', { body: { username: 'hq', password: 'heyi-demo' } });
    expect(res.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await app.request('POST', '/api/admin/login', { body: { username: 'rm-sh', password: 'wrong' } })).status,
      );
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.at(-1)).toBe(429);
  });
});
