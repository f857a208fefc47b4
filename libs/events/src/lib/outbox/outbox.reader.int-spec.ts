import pg from 'pg';
import {
  DRIVERS,
  openTestDatabase,
  POSTGRES_AVAILABLE,
  TEST_POSTGRES_ADMIN_URL,
  type TestDatabase,
} from '@flexgalaxy/testing';
import { OutboxWriter } from './outbox.writer.js';
import { readOutboxAfter, STREAM_START } from './outbox.reader.js';

const writer = new OutboxWriter();

function accountCreated(accountId: string) {
  return {
    accountId,
    name: `Account ${accountId}`,
    kind: 'member' as const,
    parentAccountId: 'root',
    orgRootAccountId: 'root',
  };
}

async function publish(db: TestDatabase, accountId: string): Promise<string> {
  const event = await db.prisma.$transaction((tx) =>
    writer.append(tx, 'org.account.created', accountCreated(accountId), { accountId }),
  );
  return event.id;
}

/** A session that opened a transaction and holds its xid until released. */
async function holdTransaction(connectionString: string, work = 'SELECT pg_current_xact_id()') {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query('BEGIN');
  await client.query(work);
  return {
    client,
    commit: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

describe.each(DRIVERS)('readOutboxAfter on %s', (driver) => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await openTestDatabase(driver);
  });
  afterEach(async () => {
    await db.close();
  });

  it('should read committed events in commit order after a position', async () => {
    const ids = [await publish(db, 'a'), await publish(db, 'b'), await publish(db, 'c')];
    const all = await readOutboxAfter(db.connection.sql, STREAM_START, 10);
    expect(all.map((row) => row.id)).toEqual(ids);
    const rest = await readOutboxAfter(db.connection.sql, all[0]!.position, 10);
    expect(rest.map((row) => row.id)).toEqual(ids.slice(1));
  });
});

(POSTGRES_AVAILABLE ? describe : describe.skip)('readOutboxAfter beside running transactions (PostgreSQL)', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await openTestDatabase('postgres');
  });
  afterEach(async () => {
    await db.close();
  });

  it("should not wait for another database's long transaction", async () => {
    const elsewhere = await holdTransaction(TEST_POSTGRES_ADMIN_URL);
    try {
      const id = await publish(db, 'not-held-back');
      const rows = await readOutboxAfter(db.connection.sql, STREAM_START, 10);
      expect(rows.map((row) => row.id)).toEqual([id]);
    } finally {
      await elsewhere.commit();
    }
  });

  it('should hold back events committed after a running transaction of this database, then read both in order', async () => {
    // The held transaction takes its xid first and writes its event last: it commits late with a lower tx id.
    const held = await holdTransaction(db.config.DATABASE_URL!);
    const later = await publish(db, 'committed-first');
    expect(await readOutboxAfter(db.connection.sql, STREAM_START, 10)).toEqual([]);

    await held.client.query(
      `INSERT INTO events.outbox (id, type, version, account_id, payload, occurred_at)
       VALUES ('33333333-3333-4333-8333-333333333333', 'org.account.created', 1, 'late', $1::jsonb, now())`,
      [JSON.stringify(accountCreated('late'))],
    );
    await held.commit();
    const rows = await readOutboxAfter(db.connection.sql, STREAM_START, 10);
    expect(rows.map((row) => row.id)).toEqual(['33333333-3333-4333-8333-333333333333', later]);
  });
});
