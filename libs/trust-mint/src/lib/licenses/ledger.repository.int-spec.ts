import { randomUUID } from 'node:crypto';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { LedgerRepository } from './ledger.repository.js';

describe.each(DRIVERS)('LedgerRepository on %s (append-only license ledger)', (driver) => {
  let db: TestDatabase;
  let sut: LedgerRepository;
  const licenseId = randomUUID();

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    sut = new LedgerRepository(db.prisma);
    await db.prisma.$transaction(async (tx) => {
      await sut.append(tx, {
        operation: 'ISSUED',
        licenseId,
        accountId: 'robomake',
        deviceId: 'amr-x1-001',
        softwareId: 'flexgalaxy.device',
        licenseType: 'TRIAL',
        actor: 'system:enrollment',
        details: { trigger: 'enrollment' },
      });
      await sut.append(tx, {
        operation: 'REVOKED',
        licenseId,
        accountId: 'robomake',
        deviceId: 'amr-x1-001',
        softwareId: 'flexgalaxy.device',
        licenseType: 'TRIAL',
        actor: 'platform-admin',
        details: { reason: 'chargeback' },
      });
    });
  });
  afterAll(() => db.close());

  it('should keep every operation, oldest first', async () => {
    const history = await sut.historyOf(licenseId);
    expect(history.map((entry) => [entry.operation, entry.actor])).toEqual([
      ['ISSUED', 'system:enrollment'],
      ['REVOKED', 'platform-admin'],
    ]);
  });

  it.each([
    { statement: 'UPDATE', sql: `UPDATE "trust_mint"."license_ledger" SET "actor" = 'someone else'` },
    { statement: 'DELETE', sql: `DELETE FROM "trust_mint"."license_ledger"` },
    { statement: 'TRUNCATE', sql: `TRUNCATE "trust_mint"."license_ledger"` },
  ])('should refuse $statement on ledger rows, even through raw SQL, and change nothing', async ({ sql }) => {
    await expect(db.connection.sql.exec(sql)).rejects.toThrow(/append-only/);
    const history = await sut.historyOf(licenseId);
    expect(history.map((entry) => entry.actor)).toEqual(['system:enrollment', 'platform-admin']);
  });

  it('should refuse an update through Prisma too', async () => {
    await expect(
      db.prisma.trustMintLedgerEntry.updateMany({ where: { licenseId }, data: { actor: 'forged' } }),
    ).rejects.toThrow();
    await expect(db.prisma.trustMintLedgerEntry.deleteMany({ where: { licenseId } })).rejects.toThrow();
    expect(await db.prisma.trustMintLedgerEntry.count({ where: { licenseId } })).toBe(2);
  });

  it('should page the audit trail newest first with a cursor', async () => {
    const first = await sut.page({ licenseId }, { after: null, limit: 1 });
    expect(first.items.map((entry) => entry.operation)).toEqual(['REVOKED']);
    const second = await sut.page({ licenseId }, { after: first.items[0]!.seq, limit: 1 });
    expect(second.items.map((entry) => entry.operation)).toEqual(['ISSUED']);
  });
});
