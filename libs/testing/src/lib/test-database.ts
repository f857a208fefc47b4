import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  applyMigrations,
  DatabaseConnection,
  IN_MEMORY_PGLITE,
  MIGRATIONS_DIRECTORY,
  PrismaService,
  type DatabaseConfig,
  type DatabaseDriver,
} from '@flexgalaxy/db';

/** The machine's PostgreSQL (trust auth); tests create and drop their own databases on it. */
export const TEST_POSTGRES_ADMIN_URL =
  process.env['TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  driver: DatabaseDriver;
  /** Config a service module can boot with to reach this same database. */
  config: DatabaseConfig;
  connection: DatabaseConnection;
  prisma: PrismaService;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A fresh, fully migrated database: a new database on the real PostgreSQL, or an in-memory
 * PGlite. Each call is isolated from every other test.
 */
export async function openTestDatabase(driver: DatabaseDriver): Promise<TestDatabase> {
  let dropDatabase = async () => undefined as void;
  let config: DatabaseConfig;
  if (driver === 'postgres') {
    const name = `fg_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
    config = {
      DATABASE_URL: withDatabase(TEST_POSTGRES_ADMIN_URL, name),
      PGLITE_DATA_DIR: IN_MEMORY_PGLITE,
      DATABASE_POOL_SIZE: 5,
      DATABASE_MIGRATE_ON_START: false,
    };
  } else {
    config = {
      DATABASE_URL: undefined,
      PGLITE_DATA_DIR: IN_MEMORY_PGLITE,
      DATABASE_POOL_SIZE: 1,
      DATABASE_MIGRATE_ON_START: false,
    };
  }
  const connection = await DatabaseConnection.open(config);
  await applyMigrations(connection.sql, MIGRATIONS_DIRECTORY);
  const prisma = new PrismaService(connection);
  return {
    driver,
    config,
    connection,
    prisma,
    async close() {
      await prisma.$disconnect();
      await connection.close();
      await dropDatabase();
    },
  };
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The drivers to run database suites on (`describe.each(DRIVERS)`): PGlite always; PostgreSQL
 * when the machine's server answers. Outside CI a missing server skips its variant and says so;
 * in CI it is always expected, so its suites run and fail loudly.
 */
export const DRIVERS: DatabaseDriver[] =
  process.env['CI'] === 'true' || (await postgresReachable())
    ? ['postgres', 'pglite']
    : (console.warn(`SKIPPED: PostgreSQL variants (no server at ${TEST_POSTGRES_ADMIN_URL}; set TEST_POSTGRES_URL)`),
      ['pglite']);

/** Whether suites that need the real PostgreSQL (crash tests, Kafka) can run. */
export const POSTGRES_AVAILABLE = DRIVERS.includes('postgres');
