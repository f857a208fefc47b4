export { lockKey } from './lib/advisory-lock.js';
export { databaseConfigSchema, IN_MEMORY_PGLITE, type DatabaseConfig } from './lib/database.config.js';
export { DatabaseConnection, type DatabaseDriver } from './lib/database-connection.js';
export { DatabaseModule, DATABASE_CONFIG } from './lib/database.module.js';
export {
  applyMigrations,
  readMigrations,
  MigrationChecksumMismatchError,
  MigrationFailedError,
  type MigrationFile,
} from './lib/migrator.js';
export { MIGRATIONS_DIRECTORY } from './lib/migrations-directory.js';
export {
  isTransactionConflict,
  isUniqueViolation,
  Prisma,
  PrismaService,
  runTransaction,
  type Tx,
} from './lib/prisma.service.js';
export type { SqlSession } from './lib/sql-session.js';
