import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, MysqlAdapter, sql } from 'kysely';

/** Migrations take an untyped Kysely: they describe the schema, they don't use it. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema that is still being built
export type MigrationDb = Kysely<any>;

export function isMysql(db: Kysely<unknown> | MigrationDb): boolean {
  return db.getExecutor().adapter instanceof MysqlAdapter;
}

/**
 * Column types that mean the same on MySQL 8, MariaDB 10.11, TiDB and SQLite.
 * SQLite ignores lengths; MySQL needs them for indexed text.
 */
export const t = {
  id: 'varchar(26)',
  code: 'varchar(64)',
  name: 'varchar(191)',
  key: 'varchar(191)',
  text: 'text',
  time: 'bigint',
  fen: 'bigint',
  int: 'integer',
  bool: 'integer',
  double: 'double precision',
} as const;

/** A JSON document column: LONGTEXT on MySQL (TEXT caps at 64 KiB), TEXT on SQLite. */
export function jsonType(db: MigrationDb) {
  return isMysql(db) ? sql`longtext` : sql`text`;
}

/**
 * Every table is InnoDB, utf8mb4, with a binary collation so that codes compare exactly as in
 * SQLite (`a1` and `A1` are different SKU codes on both).
 */
export function createTable(db: MigrationDb, name: string): CreateTableBuilder<string, never> {
  const builder = db.schema.createTable(name);
  if (!isMysql(db)) return builder;
  return builder.modifyEnd(sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
}

export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
