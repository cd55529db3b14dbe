export { BackupError, backupDatabase } from './backup';
export * from './connect';
export { newId } from './ids';
export { migrateToLatest } from './migrate';
export { decoyHash, hashPassword, verifyPassword } from './password';
export { ProvisionError, ProvisionFile, type ProvisionReport, provision } from './provision';
export * from './schema';
export * from './seed';
export * from './sql-helpers';
