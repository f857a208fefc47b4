import { randomUUID } from 'node:crypto';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { RegistryRepository } from './registry.repository.js';
import type { TelemetryPoint } from './telemetry-point.js';

describe.each(DRIVERS)('RegistryRepository on %s', (driver) => {
  let db: TestDatabase;
  let sut: RegistryRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    sut = new RegistryRepository(db.prisma);
  });
  afterAll(async () => {
    await db.close();
  });

  async function newDevice(accountId: string) {
    const deviceId = `amr-${randomUUID()}`;
    const input = { deviceId, accountId, name: 'AMR', profile: 'amr', attributes: {} };
    await sut.insert(input, randomUUID().replaceAll('-', '').padEnd(64, '0'));
    return deviceId;
  }

  const at = (ms: number) => new Date(Date.UTC(2026, 10, 23, 12, 0, 0, ms));

  async function historyOf(deviceId: string) {
    const rows = await db.prisma.registryTelemetryHistory.findMany({ where: { deviceId }, orderBy: { id: 'asc' } });
    return rows.map((row) => ({ accountId: row.accountId, type: row.telemetryType, key: row.key, value: row.value }));
  }

  describe('storeTelemetry', () => {
    it('should keep every point in the history and the newest per key as latest, with one statement', async () => {
      const [a, b] = [await newDevice('acct-a'), await newDevice('acct-b')];
      const batch: TelemetryPoint[] = [
        { deviceId: a, key: 'battery', value: 80, ts: at(1) },
        { deviceId: b, key: 'battery', value: 50, ts: at(1) },
        { deviceId: a, key: 'battery', value: 79, ts: at(2) },
        // Older than the point before it: history only.
        { deviceId: a, key: 'battery', value: 99, ts: at(0) },
        { deviceId: a, key: 'task', value: 'idle', ts: at(2) },
        // Same timestamp as the previous `task`: the later arrival wins.
        { deviceId: a, key: 'task', value: 'executing', ts: at(2) },
        { deviceId: b, key: 'position', value: { x: 1, y: 2 }, ts: at(3) },
      ];

      await sut.storeTelemetry(batch);

      expect(await historyOf(a)).toEqual([
        { accountId: 'acct-a', type: 'operational', key: 'battery', value: 80 },
        { accountId: 'acct-a', type: 'operational', key: 'battery', value: 79 },
        { accountId: 'acct-a', type: 'operational', key: 'battery', value: 99 },
        { accountId: 'acct-a', type: 'task_logs', key: 'task', value: 'idle' },
        { accountId: 'acct-a', type: 'task_logs', key: 'task', value: 'executing' },
      ]);
      expect(await historyOf(b)).toEqual([
        { accountId: 'acct-b', type: 'operational', key: 'battery', value: 50 },
        { accountId: 'acct-b', type: 'location', key: 'position', value: { x: 1, y: 2 } },
      ]);
      await expect(sut.latestTelemetry(a)).resolves.toEqual({
        battery: { value: 79, ts: at(2) },
        task: { value: 'executing', ts: at(2) },
      });
      await expect(sut.latestTelemetry(b)).resolves.toEqual({
        battery: { value: 50, ts: at(1) },
        position: { value: { x: 1, y: 2 }, ts: at(3) },
      });
    });

    it('should not let a later batch with an older value replace the latest one', async () => {
      const deviceId = await newDevice('acct-a');
      await sut.storeTelemetry([{ deviceId, key: 'battery', value: 70, ts: at(5) }]);

      await sut.storeTelemetry([{ deviceId, key: 'battery', value: 90, ts: at(4) }]);

      await expect(sut.latestTelemetry(deviceId)).resolves.toEqual({ battery: { value: 70, ts: at(5) } });
      expect(await historyOf(deviceId)).toHaveLength(2);
    });

    it('should skip the points of an unknown device and store the rest of the batch', async () => {
      const deviceId = await newDevice('acct-a');
      const gone = `amr-${randomUUID()}`;

      await sut.storeTelemetry([
        { deviceId: gone, key: 'battery', value: 1, ts: at(1) },
        { deviceId, key: 'battery', value: 2, ts: at(1) },
      ]);

      expect(await historyOf(gone)).toEqual([]);
      await expect(sut.latestTelemetry(gone)).resolves.toBeNull();
      await expect(sut.latestTelemetry(deviceId)).resolves.toEqual({ battery: { value: 2, ts: at(1) } });
    });

    it('should store values that need JSON escaping unchanged', async () => {
      const deviceId = await newDevice('acct-a');
      const value = { note: 'quote " backslash \\ newline \n unicode ✓', list: [1, null, true] };

      await sut.storeTelemetry([{ deviceId, key: 'app_note', value, ts: at(1) }]);

      await expect(sut.latestTelemetry(deviceId)).resolves.toEqual({ app_note: { value, ts: at(1) } });
      expect(await historyOf(deviceId)).toEqual([{ accountId: 'acct-a', type: 'application', key: 'app_note', value }]);
    });
  });
});
