import { DRIVERS, openTestDatabase } from '@flexgalaxy/testing';
import { describeDeviceRegistryContract } from '../device-registry.contract.js';
import { EmbeddedDeviceRegistry } from './embedded-device-registry.js';
import { EmbeddedMqttBroker } from './embedded-mqtt-broker.js';
import { DEVICE_TELEMETRY_TOPIC } from './mqtt-topics.js';
import { publishOnce } from './testing/mqtt-test-device.js';

describe.each(DRIVERS)('EmbeddedDeviceRegistry on %s', (driver) => {
  describeDeviceRegistryContract(`embedded registry + MQTT broker on ${driver}`, async () => {
    const db = await openTestDatabase(driver);
    const registry = new EmbeddedDeviceRegistry(db.prisma);
    const broker = new EmbeddedMqttBroker(registry, { host: '127.0.0.1', port: 0 });
    await broker.start();
    return {
      registry,
      publishTelemetry: (accessToken, payload) =>
        publishOnce(broker.address, accessToken, DEVICE_TELEMETRY_TOPIC, payload),
      async close() {
        await broker.stop();
        await registry.close();
        await db.close();
      },
    };
  });
});
