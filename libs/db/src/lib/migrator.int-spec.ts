import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
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
