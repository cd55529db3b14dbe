import Taro from '@tarojs/taro';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, listStores, request, TOKEN_KEY } from '../src/services/api';
import { errorBody } from './fixtures';

const taroRequest = vi.mocked(Taro.request);
const getStorageSync = vi.mocked(Taro.getStorageSync);

function respond(statusCode: number, data: unknown) {
  return { statusCode, data, header: {}, cookies: [], errMsg: 'request:ok' } as never;
}

function sent() {
  const options = taroRequest.mock.calls.at(-1)?.[0];
  if (!options) throw new Error('Taro.request was not called');
  return options;
}

describe('api client', () => {
  beforeEach(() => {
    taroRequest.mockReset();
    getStorageSync.mockReset().mockReturnValue('');
  });

  it('asks for stores near a point with lat/lng in the query', async () => {
    taroRequest.mockResolvedValueOnce(respond(200, { stores: [] }));
    await expect(listStores({ lat: 31.23, lng: 121.47 })).resolves.toEqual({ stores: [] });
    expect(sent().url).toBe('/api/mp/stores?lat=31.23&lng=121.47');
  });

  it('sends no query and no Authorization header when nothing is stored', async () => {
    taroRequest.mockResolvedValueOnce(respond(200, { stores: [] }));
    await listStores();
    expect(sent().url).toBe('/api/mp/stores');
    expect(sent().header).not.toHaveProperty('Authorization');
  });

  it('attaches the stored token as a bearer token and sends bodies as JSON', async () => {
    getStorageSync.mockImplementation((key: string) => (key === TOKEN_KEY ? 'tok-123' : ''));
    taroRequest.mockResolvedValueOnce(respond(201, { ok: true }));
    await request({ method: 'POST', path: '/api/mp/echo', body: { a: 1 } });
    expect(sent()).toMatchObject({
      method: 'POST',
      data: { a: 1 },
      header: { Authorization: 'Bearer tok-123', 'Content-Type': 'application/json' },
    });
  });

  it('turns the BFF error body into an ApiError with code, status and message', async () => {
    taroRequest.mockResolvedValueOnce(respond(401, errorBody('TOKEN_EXPIRED', '登录已过期')));
    const err = await listStores().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'TOKEN_EXPIRED', status: 401, message: '登录已过期', requestId: 'req-test-1' });
  });

  it('still throws an ApiError when an error response is not our JSON shape', async () => {
    taroRequest.mockResolvedValueOnce(respond(502, '<html>Bad Gateway</html>'));
    await expect(listStores()).rejects.toMatchObject({ code: 'HTTP_502', status: 502 });
  });
});
