import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import type { EventMap } from '@flexgalaxy/contracts';
import { readOutboxAfter, STREAM_START } from './outbox.reader.js';
import { OutboxWriter } from './outbox.writer.js';

const writer = new OutboxWriter();

const transferred: EventMap['device.transferred'] = {
  deviceId: 'amr-1',
  fromAccountId: 'maker',
  toAccountId: 'distributor',
  state: 'FACTORY_PROVISIONED',
  attributes: {
    type: 'amr',
    manufacturer: 'syrius',
    model: null,
    revision: null,
    serial: 'AMR-1',
    firmwareVersion: null,
    capabilities: [],
  },
};
const rotated: EventMap['device.credentials_rotated'] = {
  deviceId: 'amr-1',
  accountId: 'distributor',
  credentials: ['mqtt', 'ddi'],
};

describe.each(DRIVERS)('OutboxWriter on %s', (driver) => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await openTestDatabase(driver);
  });
  afterEach(() => db.close());

  it('should append events of several types in one call, in the order given', async () => {
    const scope = { accountId: 'distributor', deviceId: 'amr-1' };
    const written = await db.prisma.$transaction((tx) =>
      writer.appendMany(tx, [
        { type: 'device.transferred', payload: transferred, scope },
        { type: 'device.credentials_rotated', payload: rotated, scope },
      ]),
    );

    const rows = await readOutboxAfter(db.connection.sql, STREAM_START, 10);
    expect(rows.map((row) => [row.id, row.type, row.deviceId])).toEqual([
      [written[0]!.id, 'device.transferred', 'amr-1'],
      [written[1]!.id, 'device.credentials_rotated', 'amr-1'],
    ]);
    expect(rows[1]!.payload).toEqual(rotated);
  });

  it('should refuse a payload its contract rejects and write none of the batch', async () => {
    const scope = { accountId: 'distributor', deviceId: 'amr-1' };
    await expect(
      db.prisma.$transaction((tx) =>
        writer.appendMany(tx, [
          { type: 'device.credentials_rotated', payload: rotated, scope },
          { type: 'device.transferred', payload: { ...transferred, toAccountId: 42 } as never, scope },
        ]),
      ),
    ).rejects.toThrow();

    expect(await readOutboxAfter(db.connection.sql, STREAM_START, 10)).toEqual([]);
  });
});
