import { storageTargets } from 'db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing';

const UNKNOWN_STORE = '01J0000000000000000000000Z';

describe.each(storageTargets())('loose input on $dialect', (storage) => {
  let app: TestApp;
  let hq: string;
  let clerk: string;
  beforeAll(async () => {
    app = await startTestApp(storage);
    hq = await app.login('hq');
    clerk = await app.login('clerk-sh001');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a JSON body of null instead of reading it as {}', async () => {
    const res = await app.request('PUT', '/api/admin/stock-policy', {
      token: hq,
      raw: 'null',
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['GET', '/api/staff/stores/x/stock/history'],
    ['GET', `/api/staff/stores/${UNKNOWN_STORE}/delivery`],
    ['GET', `/api/staff/stores/${UNKNOWN_STORE}/queue`],
    ['GET', `/api/staff/stores/${UNKNOWN_STORE}/queue/stream`],
    ['GET', `/api/admin/catalog/stores/${UNKNOWN_STORE}/menu`],
  ])('answers 404 STORE_NOT_FOUND to HQ for %s %s, before any stream starts', async (method, path) => {
    const res = await app.request(method, path, { token: hq });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('STORE_NOT_FOUND');
  });

  it('tells a clerk only that an unknown store is outside their scope', async () => {
    const res = await app.request('GET', `/api/staff/stores/${UNKNOWN_STORE}/delivery`, { token: clerk });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('OUT_OF_SCOPE');
  });
});
