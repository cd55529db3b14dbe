import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heyi-config-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  DATA_ENCRYPTION_KEY: 'ab'.repeat(32),
  PUBLIC_BASE_URL: 'https://api.example-brand.com',
};

describe('configuration from the environment', () => {
  it('stops with a message naming the setting that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, dataDir)).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' }, dataDir)).toThrow(/PORT/);
    expect(() => loadConfig({ ELEME_API_BASE: 'not a url' }, dataDir)).toThrow(/ELEME_API_BASE/);
  });

  it('keeps the outbox timings and platform timeout at their defaults unless set', () => {
    const defaults = loadConfig({}, dataDir);
    expect(defaults.outbox).toEqual({ pollMs: 500, leaseMs: 60_000, backoffBaseMs: 1000, backoffMaxMs: 600_000 });
    expect([defaults.meituan.timeoutMs, defaults.eleme.timeoutMs, defaults.idempotencyLeaseMs]).toEqual([
      10_000, 10_000, 30_000,
    ]);
    const fast = loadConfig(
      { OUTBOX_BACKOFF_BASE_MS: '100', OUTBOX_BACKOFF_MAX_MS: '50', PLATFORM_TIMEOUT_MS: '1000' },
      dataDir,
    );
    // A cap below the base would make the first retry the longest: the cap is raised to the base.
    expect([fast.outbox.backoffBaseMs, fast.outbox.backoffMaxMs, fast.eleme.timeoutMs]).toEqual([100, 100, 1000]);
    expect(() => loadConfig({ OUTBOX_LEASE_MS: '10' }, dataDir)).toThrow(/OUTBOX_LEASE_MS/);
  });

  it('refuses production without the secrets it must not generate', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, dataDir)).toThrow(
      /JWT_SECRET, DATA_ENCRYPTION_KEY, PUBLIC_BASE_URL/,
    );
    const { PUBLIC_BASE_URL: _, ...withoutUrl } = production;
    expect(() => loadConfig(withoutUrl, dataDir)).toThrow(/production needs PUBLIC_BASE_URL/);
  });

  it('points every integration at the real hosts in production and at the simulators otherwise', () => {
    const real = loadConfig(production, dataDir);
    expect(real.meituan.openCaterBase).toBe('https://api-open-cater.meituan.com');
    expect(real.meituan.waimaiopenBase).toBe('https://waimaiopen.meituan.com/api/v1');
    expect(real.meituan.signKey).toBeUndefined();
    expect(real.eleme.apiBase).not.toContain('127.0.0.1');

    const local = loadConfig({ SIM_BASE_URL: 'http://127.0.0.1:4999/' }, dataDir);
    expect(local.meituan.apiBase).toBe('http://127.0.0.1:4999/meituan/open-cater');
    expect(local.meituan.waimaiopenBase).toBe('http://127.0.0.1:4999/meituan/waimaiopen/api/v1');
    expect(local.eleme.apiBase).toBe('http://127.0.0.1:4999/eleme');
    expect(local.meituan.signKey).toBeTruthy();
  });

  it('applies MEITUAN_API_BASE to the gateway in use, and keeps the other gateway reachable for write-backs', () => {
    const legacy = loadConfig(
      { ...production, MEITUAN_GATEWAY: 'waimaiopen', MEITUAN_API_BASE: 'https://proxy.example.com/mt/' },
      dataDir,
    );
    expect(legacy.meituan.apiBase).toBe('https://proxy.example.com/mt');
    expect(legacy.meituan.waimaiopenBase).toBe('https://proxy.example.com/mt');
    expect(legacy.meituan.openCaterBase).toBe('https://api-open-cater.meituan.com');

    const both = loadConfig(
      {
        ...production,
        MEITUAN_API_BASE: 'https://a.example.com',
        MEITUAN_WAIMAIOPEN_API_BASE: 'https://b.example.com/api/v1',
      },
      dataDir,
    );
    expect(both.meituan.apiBase).toBe('https://a.example.com');
    expect(both.meituan.waimaiopenBase).toBe('https://b.example.com/api/v1');
  });
});
