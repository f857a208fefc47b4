import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlSession } from './sql-session.js';

/** The lock id Prisma Migrate takes, so our runner and `prisma migrate deploy` never overlap. */
const PRISMA_MIGRATE_LOCK_ID = 72707369;

// Same table and columns as Prisma Migrate creates, so either tool can take over from the other.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationChecksumMismatchError extends Error {
  constructor(readonly migrationName: string) {
    super(`migration ${migrationName} was modified after it was applied (checksum differs)`);
  }
}

export class MigrationFailedError extends Error {
  constructor(
    readonly migrationName: string,
    cause: unknown,
  ) {
    super(`migration ${migrationName} failed: ${(cause as Error).message}`, { cause });
  }
}

/** Reads `prisma/migrations/<timestamp>_<name>/migration.sql` in name order, as Prisma does. */
export function readMigrations(directory: string): MigrationFile[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(directory, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies pending migrations offline (Prisma's CLI needs a downloaded engine for this), each in
 * its own transaction under Prisma's advisory lock, and records them in `_prisma_migrations`.
 * Returns the names it applied.
 */
export async function applyMigrations(sql: SqlSession, directory: string): Promise<string[]> {
  // Under the lock too: processes sharing a database (the distributed apps' registry) start at
  // once, and two concurrent CREATE TABLE IF NOT EXISTS collide on the catalog's unique index.
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
  });
  const applied: string[] = [];
  for (const migration of readMigrations(directory)) {
    const done = await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PRISMA_MIGRATE_LOCK_ID]);
      const [existing] = await tx.query<{ checksum: string }>(
        `SELECT checksum FROM "_prisma_migrations"
          WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [migration.name],
      );
      if (existing) {
        if (existing.checksum !== migration.checksum) throw new MigrationChecksumMismatchError(migration.name);
        return false;
      }
      try {
        await tx.exec(migration.sql);
      } catch (error) {
        throw new MigrationFailedError(migration.name, error);
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
         VALUES ($1, $2, now(), $3, 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
