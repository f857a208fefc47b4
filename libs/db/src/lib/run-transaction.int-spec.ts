import { openTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '@flexgalaxy/testing';
import { runTransaction } from './prisma.service.js';

const describePostgres = POSTGRES_AVAILABLE ? describe : describe.skip;

describePostgres('runTransaction on PostgreSQL', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    await db.connection.sql.exec('CREATE TABLE public.ledger (id int PRIMARY KEY, n int NOT NULL)');
    await db.connection.sql.exec('INSERT INTO public.ledger VALUES (1, 0), (2, 0)');
  });
  afterAll(() => db.close());

  it('should run a deadlock victim again, so both crossing transactions commit once each', async () => {
    let attempts = 0;
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothHoldTheirFirstRow = new Promise<void>((resolve) => (release = resolve));
    // Each locks one row, waits until the other holds its row, then wants the other's: a deadlock.
    const crossing = (first: number, second: number) =>
      runTransaction(db.prisma, async (tx) => {
        attempts++;
        await tx.$executeRawUnsafe('UPDATE public.ledger SET n = n + 1 WHERE id = $1', first);
        if (++arrived === 2) release();
        await bothHoldTheirFirstRow;
        await tx.$executeRawUnsafe('UPDATE public.ledger SET n = n + 1 WHERE id = $1', second);
      });

    await Promise.all([crossing(1, 2), crossing(2, 1)]);

    expect(attempts).toBe(3);
    const rows = await db.connection.sql.query<{ n: number }>('SELECT n FROM public.ledger ORDER BY id');
    expect(rows.map((row) => row.n)).toEqual([2, 2]);
  });
});
