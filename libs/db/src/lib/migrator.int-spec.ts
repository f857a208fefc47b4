import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  DRIVERS,
  openTestDatabase,
  POSTGRES_AVAILABLE,
  TEST_POSTGRES_ADMIN_URL,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { DatabaseConnection } from './database-connection.js';
import { IN_MEMORY_PGLITE } from './database.config.js';
import { applyMigrations, readMigrations } from './migrator.js';
import { MIGRATIONS_DIRECTORY } from './migrations-directory.js';

describe.each(DRIVERS)('applyMigrations on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  });
  afterAll(() => db.close());

  it('should record every migration in _prisma_migrations with its sha256 checksum, as Prisma does', async () => {
    const rows = await db.connection.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const files = readMigrations(MIGRATIONS_DIRECTORY);
    expect(files.length).toBeGreaterThan(0);
    expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(
      files.map((file) => [file.name, file.checksum]),
    );
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });

  it('should apply nothing the second time', async () => {
    await expect(applyMigrations(db.connection.sql, MIGRATIONS_DIRECTORY)).resolves.toEqual([]);
  });
});

const describePostgres = POSTGRES_AVAILABLE ? describe : describe.skip;

describePostgres('applyMigrations from processes starting at once on one PostgreSQL database', () => {
  const name = `fg_test_${randomBytes(6).toString('hex')}`;
  const connections: DatabaseConnection[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  });

  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('should apply every migration exactly once, the bookkeeping table included, without a collision', async () => {
    const url = new URL(TEST_POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    for (let i = 0; i < 4; i++) {
      connections.push(
        await DatabaseConnection.open({
          DATABASE_URL: url.toString(),
          PGLITE_DATA_DIR: IN_MEMORY_PGLITE,
          DATABASE_POOL_SIZE: 2,
        }),
      );
    }
    const applied = await Promise.all(
      connections.map((connection) => applyMigrations(connection.sql, MIGRATIONS_DIRECTORY)),
    );
    expect(applied.flat().sort()).toEqual(readMigrations(MIGRATIONS_DIRECTORY).map((file) => file.name));
  });
});
