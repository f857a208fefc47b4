import { Test } from '@nestjs/testing';
import { DatabaseModule, IN_MEMORY_PGLITE } from '@flexgalaxy/db';
import { openTestDatabase, POSTGRES_AVAILABLE, type TestDatabase } from '@flexgalaxy/testing';
import { deviceRegistryConfigSchema } from './device-registry.config.js';
import { DeviceRegistryModule } from './device-registry.module.js';
import { DEVICE_REGISTRY, type DeviceRegistry } from './device-registry.port.js';
import { EmbeddedMqttBroker } from './embedded/embedded-mqtt-broker.js';

const ownDatabase = {
  DATABASE_URL: undefined,
  PGLITE_DATA_DIR: IN_MEMORY_PGLITE,
  DATABASE_POOL_SIZE: 1,
  DATABASE_MIGRATE_ON_START: true,
};

// The distributed shape: provisioning runs the broker and writes devices, OTA Forge reads their
// runtime state, each with its own database, both through one registry database.
(POSTGRES_AVAILABLE ? describe : describe.skip)('the embedded registry shared through REGISTRY_DATABASE_URL', () => {
  let registryDb: TestDatabase;

  beforeAll(async () => {
    registryDb = await openTestDatabase('postgres');
  });
  afterAll(() => registryDb.close());

  async function boot(broker: 'on' | 'off') {
    const config = deviceRegistryConfigSchema.parse({
      REGISTRY_DATABASE_URL: registryDb.config.DATABASE_URL,
      MQTT_PORT: '0',
      MQTT_BROKER: broker,
    });
    const app = await Test.createTestingModule({
      imports: [DatabaseModule.forRoot(ownDatabase), DeviceRegistryModule.forRoot(config)],
    }).compile();
    await app.init();
    return app;
  }

  it('should let one process write devices and another read them, with the broker only where it is on', async () => {
    const writer = await boot('on');
    const reader = await boot('off');
    try {
      const { accessToken } = await writer.get<DeviceRegistry>(DEVICE_REGISTRY).registerDevice({
        deviceId: 'shared-amr-1',
        accountId: 'acct-1',
        name: 'AMR',
        profile: 'amr',
        attributes: { type: 'amr' },
      });
      await expect(reader.get<DeviceRegistry>(DEVICE_REGISTRY).authenticate(accessToken)).resolves.toMatchObject({
        deviceId: 'shared-amr-1',
      });
      expect(writer.get(EmbeddedMqttBroker).address.port).toBeGreaterThan(0);
      expect(() => reader.get(EmbeddedMqttBroker).address).toThrow('not listening');
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
