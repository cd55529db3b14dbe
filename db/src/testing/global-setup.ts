import { createConnection } from 'mysql2/promise';
import type { TestProject } from 'vitest/node';
import type {} from '../testing';
import { probeMysql, probeRedis } from './probe';

const DEFAULT_MYSQL = 'mysql://root@127.0.0.1:3306';
const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

/**
 * Finds the real MariaDB and Redis the suite runs against. Locally a missing server skips those
 * variants with a warning; under CI=true it is a failure, so CI can never pass on SQLite alone.
 */
export default async function setup(project: TestProject): Promise<void> {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  const mysqlSetting = process.env.HEYI_TEST_MYSQL_URL ?? DEFAULT_MYSQL;
  const redisSetting = process.env.HEYI_TEST_REDIS_URL ?? DEFAULT_REDIS;

  const mysqlUrl = mysqlSetting === 'off' ? null : mysqlSetting;
  const redisUrl = redisSetting === 'off' ? null : redisSetting;
  const [mysqlError, redisError] = await Promise.all([
    mysqlUrl ? probeMysql(mysqlUrl) : Promise.resolve('disabled by HEYI_TEST_MYSQL_URL=off'),
    redisUrl ? probeRedis(redisUrl) : Promise.resolve('disabled by HEYI_TEST_REDIS_URL=off'),
  ]);
  const problems: string[] = [];
  if (mysqlError) problems.push(`MariaDB/MySQL at ${mysqlSetting}: ${mysqlError}`);
  if (redisError) problems.push(`Redis at ${redisSetting}: ${redisError}`);
  if (problems.length > 0) {
    if (ci) throw new Error(`CI=true needs real MariaDB and Redis:\n  ${problems.join('\n  ')}`);
    console.warn(`\n[heyi tests] skipping variants:\n  ${problems.join('\n  ')}\n`);
  }
  if (mysqlUrl && !mysqlError) await dropStaleTestDatabases(mysqlUrl);
  project.provide('mysqlUrl', mysqlError ? null : mysqlUrl);
  project.provide('redisUrl', redisError ? null : redisUrl);
}

/** Test databases are dropped by their test file; these are leftovers of killed runs (over an hour old). */
async function dropStaleTestDatabases(url: string): Promise<void> {
  const conn = await createConnection({ uri: url });
  try {
    const [rows] = await conn.query("SHOW DATABASES LIKE 'heyi\\_t\\_%'");
    const cutoff = Math.floor(Date.now() / 1000) - 3600;
    for (const row of rows as Record<string, string>[]) {
      const name = Object.values(row)[0] as string;
      const created = Number(name.split('_')[2]);
      if (Number.isFinite(created) && created < cutoff) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  } finally {
    await conn.end();
  }
}
