import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { provisioningConfigSchema } from '../provisioning.config.js';
import { OperationInProgressError, OperationLocks } from './operation-lock.repository.js';

describe.each(DRIVERS)('OperationLocks on %s', (driver) => {
  let db: TestDatabase;
  let locks: OperationLocks;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    const config = provisioningConfigSchema({ defaultPort: 0 }).parse({ OPERATION_LOCK_TTL_SECONDS: '60' });
    locks = new OperationLocks(db.prisma, config);
  });
  afterAll(() => db.close());

  it('should refuse a second operation on a held key and release the key when the work ends', async () => {
    let inner: unknown;
    await locks.withLock('device:a', 'transfer', async () => {
      inner = await locks.withLock('device:a', 'assembly', async () => 'ran').catch((error: unknown) => error);
    });

    expect(inner).toBeInstanceOf(OperationInProgressError);
    expect((inner as OperationInProgressError).details).toEqual({ operation: 'assembly' });
    expect(await db.prisma.operationLock.count({ where: { key: 'device:a' } })).toBe(0);
    await expect(locks.withLock('device:a', 'transfer', async () => 'again')).resolves.toBe('again');
  });

  it('should release the key when the work fails', async () => {
    await expect(
      locks.withLock('device:b', 'transfer', async () => {
        throw new Error('backend down');
      }),
    ).rejects.toThrow('backend down');

    expect(await db.prisma.operationLock.count({ where: { key: 'device:b' } })).toBe(0);
  });

  it('should take over a lease older than the TTL (its holder died) and leave a live one alone', async () => {
    await db.prisma.operationLock.create({
      data: { key: 'device:dead', operation: 'transfer', acquiredAt: new Date(Date.now() - 61_000) },
    });
    await db.prisma.operationLock.create({
      data: { key: 'device:live', operation: 'transfer', acquiredAt: new Date(Date.now() - 59_000) },
    });

    await expect(locks.withLock('device:dead', 'assembly', async () => 'taken over')).resolves.toBe('taken over');
    await expect(locks.withLock('device:live', 'assembly', async () => 'ran')).rejects.toBeInstanceOf(
      OperationInProgressError,
    );
    // The refused caller must not have touched the live holder's lease.
    const live = await db.prisma.operationLock.findUniqueOrThrow({ where: { key: 'device:live' } });
    expect(live.operation).toBe('transfer');
  });

  it('should let only one of many simultaneous callers in', async () => {
    let inside = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        locks.withLock('serial:m:1', 'enrollment', async () => {
          inside += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }),
      ),
    );

    expect(inside).toBe(1);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(7);
  });
});
