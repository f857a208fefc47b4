import { randomUUID } from 'node:crypto';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { TYPES_FOLLOWING_THE_DEVICE } from '../telemetry-types.js';
import { EmbeddedDeviceRegistry } from './embedded-device-registry.js';
import { EmbeddedMqttBroker } from './embedded-mqtt-broker.js';
import { DEVICE_TELEMETRY_TOPIC } from './mqtt-topics.js';
import { publishOnce } from './testing/mqtt-test-device.js';

describe.each(DRIVERS)('embedded telemetry history by type on %s (seed 000 §5)', (driver) => {
  let db: TestDatabase;
  let registry: EmbeddedDeviceRegistry;
  let broker: EmbeddedMqttBroker;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    registry = new EmbeddedDeviceRegistry(db.prisma);
    broker = new EmbeddedMqttBroker(registry, { host: '127.0.0.1', port: 0 });
    await broker.start();
  });
  afterAll(async () => {
    await broker.stop();
    await registry.close();
    await db.close();
  });

  async function deviceWithTelemetry(accountId: string) {
    const deviceId = `amr-${randomUUID()}`;
    const { accessToken } = await registry.registerDevice({
      deviceId,
      accountId,
      name: 'AMR',
      profile: 'amr',
      attributes: { type: 'amr' },
    });
    await publishOnce(broker.address, accessToken, DEVICE_TELEMETRY_TOPIC, {
      battery: 80,
      motor_hours: 1200,
      health_cpu: 'ok',
      alert_collision: true,
      task: 'executing',
      position: { x: 1, y: 2 },
      navsoft_path_cost: 7,
    });
    await publishOnce(broker.address, accessToken, DEVICE_TELEMETRY_TOPIC, [
      { ts: Date.now() - 1000, values: { battery: 81 } },
      { ts: Date.now(), values: { battery: 79 } },
    ]);
    return deviceId;
  }

  it('should keep every point in the history, typed, under the owning account, and the newest as latest', async () => {
    const deviceId = await deviceWithTelemetry('acct-maker');

    expect(await registry.telemetryHistorySummary(deviceId, 'acct-maker')).toEqual({
      operational: 4,
      health: 1,
      alerts: 1,
      task_logs: 1,
      location: 1,
      application: 1,
    });
    await expect(registry.getLatestTelemetry(deviceId)).resolves.toMatchObject({ battery: { value: 79 } });
  });

  it('should move the types that follow the device and keep the others with the source account', async () => {
    const deviceId = await deviceWithTelemetry('acct-maker');
    await registry.updateDevice(deviceId, { accountId: 'acct-customer' });

    const result = await registry.transferTelemetry(deviceId, 'acct-maker', 'acct-customer', {
      follow: TYPES_FOLLOWING_THE_DEVICE,
    });

    expect(result).toEqual({
      moved: ['health', 'operational', 'alerts'],
      retained: ['task_logs', 'location', 'application'],
      movedPoints: 6,
    });
    expect(await registry.telemetryHistorySummary(deviceId, 'acct-customer')).toEqual({
      operational: 4,
      health: 1,
      alerts: 1,
    });
    expect(await registry.telemetryHistorySummary(deviceId, 'acct-maker')).toEqual({
      task_logs: 1,
      location: 1,
      application: 1,
    });
    // A repeat moves nothing more.
    await expect(
      registry.transferTelemetry(deviceId, 'acct-maker', 'acct-customer', { follow: TYPES_FOLLOWING_THE_DEVICE }),
    ).resolves.toMatchObject({ movedPoints: 0 });
  });

  it('should archive the history on decommissioning and keep it after the device is deleted', async () => {
    const deviceId = await deviceWithTelemetry('acct-maker');

    await expect(registry.archiveTelemetry(deviceId)).resolves.toEqual({ archived: 9 });
    await registry.deleteDevice(deviceId);

    expect(await registry.telemetryHistorySummary(deviceId, 'acct-maker')).toEqual({});
    expect(await db.prisma.registryTelemetryHistory.count({ where: { deviceId, archivedAt: { not: null } } })).toBe(9);
  });
});
