import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { DatabaseConnection, DatabaseModule, PrismaService } from '@flexgalaxy/db';
import { ThingsboardFake, waitFor } from '@flexgalaxy/testing';
import { deviceRegistryConfigSchema } from './device-registry.config.js';
import { DeviceRegistryModule } from './device-registry.module.js';
import { DEVICE_REGISTRY, type DeviceRegistry } from './device-registry.port.js';
import { DEVICE_TELEMETRY_FEED, type DeviceTelemetryFeed } from './device-telemetry.feed.js';
import { EmbeddedDeviceRegistry } from './embedded/embedded-device-registry.js';
import { EmbeddedMqttBroker } from './embedded/embedded-mqtt-broker.js';
import { DEVICE_TELEMETRY_TOPIC } from './embedded/mqtt-topics.js';
import { connectTestDevice } from './embedded/testing/mqtt-test-device.js';
import { ThingsboardDeviceRegistry } from './thingsboard/thingsboard-device-registry.js';

const device = { accountId: 'acct-1', name: 'AMR', profile: 'amr', attributes: { type: 'amr' } };

describe(DeviceRegistryModule.name, () => {
  describe('config', () => {
    it('should default to the embedded registry with its broker on 127.0.0.1:18830', () => {
      expect(deviceRegistryConfigSchema.parse({})).toMatchObject({ MQTT_HOST: '127.0.0.1', MQTT_PORT: 18830 });
    });

    it('should require the ThingsBoard credentials with THINGSBOARD_URL, naming each', () => {
      const result = deviceRegistryConfigSchema.safeParse({ THINGSBOARD_URL: 'http://tb:8080' });

      expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
        'THINGSBOARD_USERNAME',
        'THINGSBOARD_PASSWORD',
      ]);
    });
  });

  describe('embedded (no THINGSBOARD_URL)', () => {
    let dataDir: string;

    beforeEach(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'fg-registry-'));
    });
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('should start the broker on init, and on shutdown write and acknowledge the queued telemetry', async () => {
      const database = {
        DATABASE_URL: undefined,
        PGLITE_DATA_DIR: dataDir,
        DATABASE_POOL_SIZE: 1,
        DATABASE_MIGRATE_ON_START: true,
      };
      // A batching delay of a second: only the shutdown can have written the message in time.
      const config = deviceRegistryConfigSchema.parse({ MQTT_PORT: '0', MQTT_TELEMETRY_BATCH_DELAY_MS: '1000' });
      const app = await Test.createTestingModule({
        imports: [DatabaseModule.forRoot(database), DeviceRegistryModule.forRoot(config)],
      }).compile();
      await app.init();
      const registry = app.get<DeviceRegistry>(DEVICE_REGISTRY);
      const embedded = app.get(EmbeddedDeviceRegistry);
      expect(registry).toBe(embedded);
      expect(app.get<DeviceTelemetryFeed>(DEVICE_TELEMETRY_FEED)).toBe(embedded);
      const { accessToken } = await registry.registerDevice({ deviceId: 'amr-1', ...device });
      const client = await connectTestDevice(app.get(EmbeddedMqttBroker).address, accessToken);

      const acknowledged = client.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ battery: 42 }), { qos: 1 });
      await waitFor(() => embedded.telemetryStats.queuedMessages === 1);
      const shutdownStarted = Date.now();
      await app.close();

      await expect(acknowledged).resolves.toBeDefined();
      expect(Date.now() - shutdownStarted).toBeLessThan(1000);
      await client.endAsync(true);
      const reopened = await DatabaseConnection.open(database);
      const prisma = new PrismaService(reopened);
      try {
        await expect(
          prisma.registryLatestTelemetry.findMany({ select: { deviceId: true, key: true, value: true } }),
        ).resolves.toEqual([{ deviceId: 'amr-1', key: 'battery', value: 42 }]);
      } finally {
        await prisma.$disconnect();
        await reopened.close();
      }
    });
  });

  describe('ThingsBoard (THINGSBOARD_URL)', () => {
    let fake: ThingsboardFake;

    beforeAll(async () => {
      fake = await new ThingsboardFake().start();
    });
    afterAll(() => fake.close());

    it('should serve DEVICE_REGISTRY from ThingsBoard, without a database or a broker', async () => {
      const config = deviceRegistryConfigSchema.parse({
        THINGSBOARD_URL: fake.url,
        THINGSBOARD_USERNAME: fake.credentials.username,
        THINGSBOARD_PASSWORD: fake.credentials.password,
      });
      const app = await Test.createTestingModule({ imports: [DeviceRegistryModule.forRoot(config)] }).compile();
      await app.init();
      const registry = app.get<DeviceRegistry>(DEVICE_REGISTRY);

      expect(registry).toBeInstanceOf(ThingsboardDeviceRegistry);
      await registry.registerDevice({ deviceId: 'amr-tb-1', ...device });
      expect(fake.state.deviceByName('amr-tb-1').type).toBe('amr');
      expect(() => app.get(EmbeddedMqttBroker)).toThrow();
      await app.close();
    });
  });
});
