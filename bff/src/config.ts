import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from 'db';
import { MeituanGateway, SIMULATOR_DEFAULTS } from 'shared-types';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const url = z.url({ protocol: /^https?$/ });

/** What the environment may set. Every setting has a name here; nothing else is read. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: optionalText.pipe(url.optional()),
  DATABASE_URL: optionalText,
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  MIGRATE_ON_START: optionalText.pipe(bool.optional()),
  REDIS_URL: optionalText,
  REDIS_KEY_PREFIX: z.string().default('heyi:'),
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  ELEME_PULL_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** The back office's build (admin/dist), served at /admin. */
  ADMIN_DIR: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: optionalText.pipe(z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional()),
  DATA_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'DATA_ENCRYPTION_KEY must be 32 bytes as 64 hex characters')
      .optional(),
  ),
  STAFF_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(7200),
  MEMBER_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86400)
    .default(7 * 86400),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(50 * 1024 * 1024)
    .default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** How old a platform push's signed timestamp may be (neither platform documents its window). */
  PUSH_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86400)
    .default(86400),
  WORKERS_ENABLED: optionalText.pipe(bool.optional()),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  OUTBOX_BACKOFF_BASE_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  OUTBOX_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(600_000),
  PLATFORM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  IDEMPOTENCY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  SIM_BASE_URL: optionalText.pipe(url.optional()),

  MEITUAN_GATEWAY: MeituanGateway.default('open-cater'),
  MEITUAN_API_BASE: optionalText.pipe(url.optional()),
  MEITUAN_OPEN_CATER_API_BASE: optionalText.pipe(url.optional()),
  MEITUAN_WAIMAIOPEN_API_BASE: optionalText.pipe(url.optional()),
  MEITUAN_DEVELOPER_ID: optionalText,
  MEITUAN_SIGN_KEY: optionalText,
  MEITUAN_BUSINESS_ID: z.string().default('2'),
  MEITUAN_APP_ID: optionalText,
  MEITUAN_APP_SECRET: optionalText,
  MEITUAN_STOREMAP_BASE: optionalText.pipe(url.optional()),

  ELEME_API_BASE: optionalText.pipe(url.optional()),
  ELEME_APP_ID: optionalText,
  ELEME_APP_KEY: optionalText,
  ELEME_APP_SECRET: optionalText,

  WECHAT_API_BASE: optionalText.pipe(url.optional()),
  WECHAT_APPID: optionalText,
  WECHAT_SECRET: optionalText,

  WECHATPAY_API_BASE: optionalText.pipe(url.optional()),
  WECHATPAY_MCHID: optionalText,
  WECHATPAY_MERCHANT_SERIAL: optionalText,
  WECHATPAY_MERCHANT_PRIVATE_KEY: optionalText,
  WECHATPAY_APIV3_KEY: optionalText,
  WECHATPAY_PUBLIC_KEY: optionalText,
  WECHATPAY_PUBLIC_KEY_ID: optionalText,
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  dbPoolSize: number;
  migrateOnStart: boolean;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** A Redis command without an answer by then counts as Redis being down (the cache falls back). */
  redisCommandTimeoutMs: number;
  /** How often the Ele.me compensation pull runs. */
  elemePullIntervalMs: number;
  logLevel: string;
  jwtSecret: string;
  /** 32-byte key for secrets kept at rest (platform tokens). */
  dataEncryptionKey: Buffer;
  staffTokenTtlSeconds: number;
  memberTokenTtlSeconds: number;
  bodyLimitBytes: number;
  /** The back office's built files, served at /admin. */
  adminDir: string;
  shutdownTimeoutMs: number;
  pushMaxAgeSeconds: number;
  workersEnabled: boolean;
  /** Outbox worker timings: poll interval, how long a claim holds, retry backoff (base doubles up to max). */
  outbox: { pollMs: number; leaseMs: number; backoffBaseMs: number; backoffMaxMs: number };
  /** How long a client request with an Idempotency-Key holds its key before a retry may take over. */
  idempotencyLeaseMs: number;
  meituan: {
    gateway: MeituanGateway;
    /** The base of the brand's gateway (`gateway`): menu and stock calls go there. */
    apiBase: string;
    /** Both gateways' bases: an order is written back on the gateway it came through. */
    openCaterBase: string;
    waimaiopenBase: string;
    storemapBase: string;
    developerId: string | undefined;
    signKey: string | undefined;
    businessId: string;
    appId: string | undefined;
    appSecret: string | undefined;
    /** How long a platform call may take before it counts as failed (and is retried). */
    timeoutMs: number;
  };
  eleme: {
    apiBase: string;
    appId: string | undefined;
    appKey: string | undefined;
    appSecret: string | undefined;
    timeoutMs: number;
  };
  wechat: { apiBase: string; appId: string | undefined; secret: string | undefined };
  wechatPay: {
    apiBase: string;
    mchId: string | undefined;
    merchantSerial: string | undefined;
    merchantPrivateKey: string | undefined;
    apiV3Key: string | undefined;
    publicKey: string | undefined;
    publicKeyId: string | undefined;
  };
}

export class ConfigError extends Error {}

const PRODUCTION_HOSTS = {
  meituanOpenCater: 'https://api-open-cater.meituan.com',
  meituanWaimaiopen: 'https://waimaiopen.meituan.com/api/v1',
  meituanStoremap: 'https://open-erp.meituan.com',
  eleme: 'https://open-api.shop.ele.me',
  wechat: 'https://api.weixin.qq.com',
  wechatPay: 'https://api.mch.weixin.qq.com',
} as const;

/** PEM values in env often arrive with literal `\n`; turn them back into newlines. */
function pem(value: string | undefined): string | undefined {
  return value?.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
}

/**
 * A secret that outside production may be generated once and kept under `.data/`, so the
 * embedded default needs no setup and every local process shares it.
 */
function localSecret(name: string, bytes: number, dataDir: string): string {
  const file = path.join(dataDir, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const value = randomBytes(bytes).toString('hex');
    try {
      fs.writeFileSync(file, value, { flag: 'wx', mode: 0o600 });
      return value;
    } catch {
      // Another process wrote it first; use theirs.
      return fs.readFileSync(file, 'utf8').trim();
    }
  }
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  dataDir = path.join(repoRoot, '.data'),
): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    // PUBLIC_BASE_URL is what the platforms call back and what legacy Meituan pushes are signed over.
    const missing = (['JWT_SECRET', 'DATA_ENCRYPTION_KEY', 'PUBLIC_BASE_URL'] as const).filter((k) => !e[k]);
    if (missing.length) throw new ConfigError(`production needs ${missing.join(', ')}`);
  }
  const sim = (e.SIM_BASE_URL ?? `http://127.0.0.1:${SIMULATOR_DEFAULTS.port}`).replace(/\/+$/, '');
  // Outside production, unset integrations point at the local simulators with their published test credentials.
  const dev = <T>(value: T | undefined, fallback: T): T | undefined => value ?? (production ? undefined : fallback);
  const base = (value: string | undefined, real: string, simulated: string) =>
    (value ?? (production ? real : simulated)).replace(/\/+$/, '');
  // MEITUAN_API_BASE is the base of the gateway in use; each gateway's own setting wins over it.
  const openCaterBase = base(
    e.MEITUAN_OPEN_CATER_API_BASE ?? (e.MEITUAN_GATEWAY === 'open-cater' ? e.MEITUAN_API_BASE : undefined),
    PRODUCTION_HOSTS.meituanOpenCater,
    `${sim}/meituan/open-cater`,
  );
  const waimaiopenBase = base(
    e.MEITUAN_WAIMAIOPEN_API_BASE ?? (e.MEITUAN_GATEWAY === 'waimaiopen' ? e.MEITUAN_API_BASE : undefined),
    PRODUCTION_HOSTS.meituanWaimaiopen,
    `${sim}/meituan/waimaiopen/api/v1`,
  );
  const sqlite = !e.DATABASE_URL || !/^(mysql|mariadb):/i.test(e.DATABASE_URL);

  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.DB_POOL_SIZE,
    migrateOnStart: e.MIGRATE_ON_START ?? sqlite,
    redisUrl: e.REDIS_URL,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
    elemePullIntervalMs: e.ELEME_PULL_INTERVAL_MS,
    logLevel: e.LOG_LEVEL,
    jwtSecret: e.JWT_SECRET ?? localSecret('jwt-secret', 32, dataDir),
    dataEncryptionKey: Buffer.from(e.DATA_ENCRYPTION_KEY ?? localSecret('data-key', 32, dataDir), 'hex'),
    staffTokenTtlSeconds: e.STAFF_TOKEN_TTL_SECONDS,
    memberTokenTtlSeconds: e.MEMBER_TOKEN_TTL_SECONDS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    adminDir: e.ADMIN_DIR ?? path.join(repoRoot, 'admin', 'dist'),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    pushMaxAgeSeconds: e.PUSH_MAX_AGE_SECONDS,
    workersEnabled: e.WORKERS_ENABLED ?? true,
    outbox: {
      pollMs: e.OUTBOX_POLL_MS,
      leaseMs: e.OUTBOX_LEASE_MS,
      backoffBaseMs: e.OUTBOX_BACKOFF_BASE_MS,
      backoffMaxMs: Math.max(e.OUTBOX_BACKOFF_MAX_MS, e.OUTBOX_BACKOFF_BASE_MS),
    },
    idempotencyLeaseMs: e.IDEMPOTENCY_LEASE_MS,
    meituan: {
      gateway: e.MEITUAN_GATEWAY,
      apiBase: e.MEITUAN_GATEWAY === 'open-cater' ? openCaterBase : waimaiopenBase,
      openCaterBase,
      waimaiopenBase,
      storemapBase: base(e.MEITUAN_STOREMAP_BASE, PRODUCTION_HOSTS.meituanStoremap, `${sim}/meituan/open-erp`),
      developerId: dev(e.MEITUAN_DEVELOPER_ID, SIMULATOR_DEFAULTS.meituan.developerId),
      signKey: dev(e.MEITUAN_SIGN_KEY, SIMULATOR_DEFAULTS.meituan.signKey),
      businessId: e.MEITUAN_BUSINESS_ID,
      appId: dev(e.MEITUAN_APP_ID, SIMULATOR_DEFAULTS.meituan.appId),
      appSecret: dev(e.MEITUAN_APP_SECRET, SIMULATOR_DEFAULTS.meituan.appSecret),
      timeoutMs: e.PLATFORM_TIMEOUT_MS,
    },
    eleme: {
      apiBase: base(e.ELEME_API_BASE, PRODUCTION_HOSTS.eleme, `${sim}/eleme`),
      appId: dev(e.ELEME_APP_ID, SIMULATOR_DEFAULTS.eleme.appId),
      appKey: dev(e.ELEME_APP_KEY, SIMULATOR_DEFAULTS.eleme.appKey),
      appSecret: dev(e.ELEME_APP_SECRET, SIMULATOR_DEFAULTS.eleme.appSecret),
      timeoutMs: e.PLATFORM_TIMEOUT_MS,
    },
    wechat: {
      apiBase: base(e.WECHAT_API_BASE, PRODUCTION_HOSTS.wechat, `${sim}/wechat`),
      appId: dev(e.WECHAT_APPID, SIMULATOR_DEFAULTS.wechat.appId),
      secret: dev(e.WECHAT_SECRET, SIMULATOR_DEFAULTS.wechat.secret),
    },
    wechatPay: {
      apiBase: base(e.WECHATPAY_API_BASE, PRODUCTION_HOSTS.wechatPay, `${sim}/wechatpay`),
      mchId: dev(e.WECHATPAY_MCHID, SIMULATOR_DEFAULTS.wechatPay.mchId),
      merchantSerial: e.WECHATPAY_MERCHANT_SERIAL,
      merchantPrivateKey: pem(e.WECHATPAY_MERCHANT_PRIVATE_KEY),
      apiV3Key: dev(e.WECHATPAY_APIV3_KEY, SIMULATOR_DEFAULTS.wechatPay.apiV3Key),
      publicKey: pem(e.WECHATPAY_PUBLIC_KEY),
      publicKeyId: e.WECHATPAY_PUBLIC_KEY_ID,
    },
  };
}
