import { AppError } from '../../../lib/errors';

/**
 * A unique-key violation from either driver: MySQL/MariaDB `ER_DUP_ENTRY` (1062), SQLite
 * `SQLITE_CONSTRAINT_UNIQUE` / `_PRIMARYKEY`. A service checks first for a clear message; this
 * catches the race where another request took the code between the check and the insert.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; errno?: unknown };
  return (
    e.code === 'ER_DUP_ENTRY' ||
    e.errno === 1062 ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** A unique-key violation as the answer a caller understands: a SKU code or another code already used. */
export function duplicateError(err: unknown): AppError | null {
  if (!isUniqueViolation(err)) return null;
  const text = String((err as Error).message ?? '');
  return /sku/i.test(text)
    ? new AppError('SKU_CODE_TAKEN', 409, 'a SKU code is already used by another SKU of this brand')
    : new AppError('CODE_TAKEN', 409, 'this code is already used in this brand');
}
