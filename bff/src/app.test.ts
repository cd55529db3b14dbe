import { demoIds } from 'db';
import { storageTargets } from 'db/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from './lib/clock';
import { startTestApp, type TestApp } from './testing';

const START = Date.parse('2026-11-28T04:00:00Z'); // 12:00 in Shanghai

describe.each(storageTargets())('BFF on $dialect', (storage) => {
  let app: TestApp;
  const clock = new ManualClock(START);
  // SQLite runs with the in-process cache (the embedded default); MariaDB with the real Redis.
  beforeAll(async () => {
    app = await startTestApp(storage, { redis: storage.dialect === 'mysql', clock });
  });
  afterAll(async () => {
    await app?.close();
  });

  const lastLogin = async (username: string) =>
    (
      await app.database.db
        .selectFrom('staff')
        .select('last_login_at')
        .where('username', '=', username)
        .executeTakeFirstOrThrow()
    ).last_login_at;

  describe('operations endpoints', () => {
    it('answers /healthz and /readyz with the database and cache checked', async () => {
      expect((await app.request('GET', '/healthz')).body).toEqual({ status: 'ok' });
      const ready = await app.request('GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ok', checks: { database: { ok: true }, cache: { ok: true } } });
    });

    it('serves Prometheus metrics and an OpenAPI document built from the schemas', async () => {
      await app.request('GET', '/healthz');
      const metrics = await app.request('GET', '/metrics');
      expect(metrics.headers.get('content-type')).toMatch(/text\/plain/);
      expect(metrics.text).toMatch(
        /heyi_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\}/,
      );
      const doc = (await app.request('GET', '/openapi.json')).body;
      expect(doc.openapi).toBe('3.1.0');
      const login = doc.paths['/api/admin/login'].post;
      expect(login.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
      expect(doc.paths['/api/staff/stores/{storeId}'].get.parameters[0]).toMatchObject({ name: 'storeId', in: 'path' });
    });

    it('echoes a safe request id and makes one otherwise', async () => {
      const given = await app.request('GET', '/healthz', { headers: { 'x-request-id': 'lb-1234' } });
      expect(given.headers.get('x-request-id')).toBe('lb-1234');
      const made = await app.request('GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith tabs' } });
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9A-Z]{26}$/);
    });
  });

  describe('errors', () => {
    it('answers an unknown path with 404 in the error shape', async () => {
      const res = await app.request('GET', '/api/nope');
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND' });
      expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
    });

    it('answers a wrong method with 405, an Allow header and the error shape', async () => {
      const res = await app.request('DELETE', '/api/admin/login');
      expect(res.status).toBe(405);
      expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
      expect(res.headers.get('allow')).toContain('POST');
    });

    it('refuses a malformed JSON body and writes nothing', async () => {
      const res = await app.request('POST', '/api/admin/login', {
        raw: '{"username":"hq",',
        contentType: 'application/json',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_JSON');
      expect(await lastLogin('hq')).toBeNull();
    });

    it('refuses a wrong content type and writes nothing', async () => {
      const res = await app.request('POST', '/api/admin/login', {
        raw: 'username=hq&password=heyi-demo',
        contentType: 'application/x-www-form-urlencoded',
      });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await lastLogin('hq')).toBeNull();
    });

    it('refuses an oversized body and writes nothing', async () => {
      const huge = JSON.stringify({ username: 'hq', password: 'heyi-demo', pad: 'x'.repeat(2 * 1024 * 1024) });
      const res = await app.request('POST', '/api/admin/login', { raw: huge, contentType: 'application/json' });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await lastLogin('hq')).toBeNull();
    });

    it('refuses a body that fails validation, naming the field', async () => {
      const res = await app.request('POST', '/api/admin/login', { body: { username: 'hq' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.issues[0].path).toBe('password');
      const extra = await app.request('POST', '/api/admin/login', {
        body: { username: 'hq', password: 'x', admin: true },
      });
      expect(extra.status).toBe(400);
      expect(await lastLogin('hq')).toBeNull();
    });
  });

  describe('staff sign-in', () => {
    it('refuses a bad password or an unknown user alike, and writes nothing', async () => {
      for (const body of [
        { username: 'hq', password: 'wrong' },
        { username: 'nobody', password: 'heyi-demo' },
      ]) {
        const res = await app.request('POST', '/api/admin/login', { body });
        expect(res.status).toBe(401);
        expect(res.body.error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'wrong username or password' });
      }
      expect(await lastLogin('hq')).toBeNull();
    });

    it('signs in with the demo password and returns a token, the role and the scope', async () => {
      const res = await app.request('POST', '/api/admin/login', { body: { username: 'rm-sh', password: 'heyi-demo' } });
      expect(res.status).toBe(200);
      expect(res.body.staff).toEqual({
        id: demoIds.staff('rm-sh'),
        username: 'rm-sh',
        displayName: '上海区域经理',
        role: 'region_manager',
        scope: { kind: 'regions', regionIds: [demoIds.region('sh')] },
      });
      expect(res.body.expiresIn).toBe(7200);
      expect(await lastLogin('rm-sh')).toBe(START);
      const me = await app.request('GET', '/api/admin/me', { token: res.body.token });
      expect(me.body.username).toBe('rm-sh');
    });

    it('slows down repeated failures for one username', async () => {
      let last = 0;
      for (let i = 0; i < 12; i++) {
        last = (await app.request('POST', '/api/admin/login', { body: { username: 'sm-sh001', password: 'nope' } }))
          .status;
      }
      expect(last).toBe(429);
      const res = await app.request('POST', '/api/admin/login', {
        body: { username: 'sm-sh001', password: 'heyi-demo' },
      });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('refuses a missing, forged or expired token', async () => {
      expect((await app.request('GET', '/api/admin/me')).body.error.code).toBe('UNAUTHENTICATED');
      const forged = await new SignJWT({ brandId: demoIds.brand, role: 'hq_admin', ver: 0 })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('heyi')
        .setAudience('heyi-staff')
        .setSubject(demoIds.staff('hq'))
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-server-secret-not-the-server-secret'));
      const res = await app.request('GET', '/api/admin/me', { token: forged });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forged.split('.')[1]}.`;
      expect((await app.request('GET', '/api/admin/me', { token: none })).status).toBe(401);

      const token = await app.login('hq');
      clock.advance(7201 * 1000);
      const expired = await app.request('GET', '/api/admin/me', { token });
      expect(expired.status).toBe(401);
      expect(expired.body.error.code).toBe('TOKEN_EXPIRED');
      clock.set(START);
    });

    it('refuses a member token on a staff route', async () => {
      const { token } = await app.container.tokens.issueMember({ sub: demoIds.staff('hq'), brandId: demoIds.brand });
      expect((await app.request('GET', '/api/admin/me', { token })).status).toBe(401);
    });

    it('revokes tokens when the staff member is disabled', async () => {
      const token = await app.login('clerk-sh001');
      await app.database.db
        .updateTable('staff')
        .set({ status: 'disabled' })
        .where('username', '=', 'clerk-sh001')
        .execute();
      expect((await app.request('GET', '/api/admin/me', { token })).status).toBe(401);
      await app.database.db
        .updateTable('staff')
        .set({ status: 'active' })
        .where('username', '=', 'clerk-sh001')
        .execute();
    });
  });

  describe('scope', () => {
    const storeCodes = async (token: string) =>
      ((await app.request('GET', '/api/admin/stores', { token })).body.stores as { code: string }[]).map((s) => s.code);

    it('shows HQ every store, a region manager their region, a clerk their store', async () => {
      expect(await storeCodes(await app.login('hq'))).toEqual(['HZ001', 'HZ002', 'SH001', 'SH002']);
      expect(await storeCodes(await app.login('rm-sh'))).toEqual(['SH001', 'SH002']);
      expect(await storeCodes(await app.login('clerk-sh001'))).toEqual(['SH001']);
    });

    it('refuses a store outside the scope on store routes', async () => {
      const clerk = await app.login('clerk-sh001');
      expect((await app.request('GET', `/api/staff/stores/${demoIds.store('SH001')}`, { token: clerk })).status).toBe(
        200,
      );
      const other = await app.request('GET', `/api/staff/stores/${demoIds.store('SH002')}`, { token: clerk });
      expect(other.status).toBe(403);
      expect(other.body.error.code).toBe('OUT_OF_SCOPE');
      const rm = await app.login('rm-sh');
      expect((await app.request('GET', `/api/staff/stores/${demoIds.store('SH002')}`, { token: rm })).status).toBe(200);
      expect((await app.request('GET', `/api/staff/stores/${demoIds.store('HZ001')}`, { token: rm })).status).toBe(403);
    });
  });

  describe('member store list', () => {
    it('lists stores nearest first from a point, with distance and opening state', async () => {
      // A point near West Lake, Hangzhou.
      const res = await app.request('GET', '/api/mp/stores?lat=30.2590&lng=120.1600');
      expect(res.status).toBe(200);
      const stores = res.body.stores as { code: string; distanceM: number; openNow: boolean }[];
      expect(stores.map((s) => s.code)).toEqual(['HZ001', 'HZ002', 'SH002', 'SH001']);
      expect(stores[0]?.distanceM).toBeLessThan(1000);
      expect(stores[0]?.openNow).toBe(true);
    });

    it('lets a store manager change their store’s hours, and members see the store closed; others are refused', async () => {
      const SH002 = demoIds.store('SH002');
      const url = `/api/staff/stores/${SH002}`;
      const openNow = async () =>
        ((await app.request('GET', '/api/mp/stores')).body.stores as { code: string; openNow: boolean }[]).find(
          (s) => s.code === 'SH002',
        )?.openNow;
      expect(await openNow()).toBe(true);
      const evening = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '17:00', close: '02:00' }];
      const clerk = await app.login('clerk-sh001');
      expect(
        (
          await app.request('PATCH', `/api/staff/stores/${demoIds.store('SH001')}`, {
            token: clerk,
            body: { phone: '021-1' },
          })
        ).status,
      ).toBe(403);
      const rm = await app.login('rm-sh');
      const bad = await app.request('PATCH', url, {
        token: rm,
        body: { businessHours: [{ days: [8], open: '25:00', close: '02:00' }] },
      });
      expect(bad.status).toBe(400);
      expect((await app.request('PATCH', url, { token: rm, body: {} })).status).toBe(400);
      expect(await openNow()).toBe(true);
      const changed = await app.request('PATCH', url, { token: rm, body: { businessHours: evening } });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ code: 'SH002', businessHours: evening, openNow: false });
      expect(await openNow()).toBe(false);
      const hz = await app.request('PATCH', `/api/staff/stores/${demoIds.store('HZ001')}`, {
        token: rm,
        body: { phone: '0571-1' },
      });
      expect(hz.status).toBe(403);
      const back = [{ days: [1, 2, 3, 4, 5, 6, 7], open: '10:00', close: '22:00' }];
      expect(
        (await app.request('PATCH', url, { token: await app.login('hq'), body: { businessHours: back } })).status,
      ).toBe(200);
      expect(await openNow()).toBe(true);
    });

    it('answers a bad coordinate with a validation error', async () => {
      const res = await app.request('GET', '/api/mp/stores?lat=200&lng=1');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });
  });
});
