import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { IN_MEMORY_PGLITE, type DatabaseConfig } from './database.config.js';
import { PgliteSqlSession } from './pglite-sql-session.js';
import { PgSqlSession } from './pg-sql-session.js';
import type { SqlSession } from './sql-session.js';

export type DatabaseDriver = 'postgres' | 'pglite';

/**
 * One open database: the Prisma driver adapter and a raw SqlSession over the same pool or
 * embedded instance, so Prisma transactions and the outbox relay see the same data.
 */
export class DatabaseConnection {
  private constructor(
    readonly driver: DatabaseDriver,
    readonly adapter: SqlMigrationAwareDriverAdapterFactory,
    readonly sql: SqlSession,
    private readonly release: () => Promise<void>,
  ) {}

  /** Opens the database named by the config and checks that it answers (fail fast at boot). */
  static async open(config: Pick<DatabaseConfig, 'DATABASE_URL' | 'PGLITE_DATA_DIR' | 'DATABASE_POOL_SIZE'>) {
    if (config.DATABASE_URL) {
      const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_SIZE });
      // An idle client that loses its server must not crash the process; the next query reports it.
      pool.on('error', () => undefined);
      const connection = new DatabaseConnection('postgres', new PrismaPg(pool), new PgSqlSession(pool), () =>
        pool.end(),
      );
      await connection.ping(config.DATABASE_URL);
      return connection;
    }
    const dataDir = config.PGLITE_DATA_DIR === IN_MEMORY_PGLITE ? undefined : config.PGLITE_DATA_DIR;
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir ? { dataDir } : {});
    return new DatabaseConnection('pglite', new PrismaPGlite(db), new PgliteSqlSession(db), () => db.close());
  }

  async close(): Promise<void> {
    await this.release();
  }

  private async ping(url: string): Promise<void> {
    try {
      await this.sql.query('SELECT 1');
    } catch (error) {
      await this.release().catch(() => undefined);
      const where = new URL(url);
      throw new Error(
        `cannot connect to PostgreSQL at ${where.hostname}:${where.port || 5432}${where.pathname}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}
