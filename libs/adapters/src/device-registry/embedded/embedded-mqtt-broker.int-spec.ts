import { randomUUID } from 'node:crypto';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import type { ErrorWithSubackPacket, MqttClient } from 'mqtt';
import type { DeviceTelemetryEvent } from '../device-telemetry.feed.js';
import { DEFAULT_TELEMETRY_BATCHING, EmbeddedDeviceRegistry } from './embedded-device-registry.js';
import { EmbeddedMqttBroker } from './embedded-mqtt-broker.js';
import { DEVICE_ATTRIBUTES_TOPIC, DEVICE_TELEMETRY_TOPIC } from './mqtt-topics.js';
import { closed, connectTestDevice } from './testing/mqtt-test-device.js';

async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe.each(DRIVERS)('EmbeddedMqttBroker on %s', (driver) => {
  let db: TestDatabase;
  let registry: EmbeddedDeviceRegistry;
  let broker: EmbeddedMqttBroker;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    registry = new EmbeddedDeviceRegistry(db.prisma);
    broker = new EmbeddedMqttBroker(registry, { host: '127.0.0.1', port: 0 });
    await broker.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.endAsync(true).catch(() => undefined)));
  });
  afterAll(async () => {
    await broker.stop();
    await registry.close();
    await db.close();
  });

  async function newDevice() {
    const deviceId = `amr-${randomUUID()}`;
    const { accessToken } = await registry.registerDevice({
      deviceId,
      accountId: 'acct-1',
      name: 'AMR',
      profile: 'amr',
      attributes: { type: 'amr' },
    });
    return { deviceId, accessToken };
  }

  async function connect(accessToken: string, options = {}) {
    const client = await connectTestDevice(broker.address, accessToken, options);
    clients.push(client);
    return client;
  }

  describe('CONNECT', () => {
    it('should accept a device whose access token is the user name, whatever the password', async () => {
      const { accessToken } = await newDevice();

      const client = await connect(accessToken, { password: 'ignored' });

      expect(client.connected).toBe(true);
    });

    it.each([
      ['an unknown token', 'no-such-token'],
      ['no user name', undefined],
    ])('should refuse %s with CONNACK 4 (bad user name or password)', async (_case, username) => {
      await expect(connectTestDevice(broker.address, username as string)).rejects.toMatchObject({ code: 4 });
    });

    it('should refuse a suspended device', async () => {
      const { deviceId, accessToken } = await newDevice();
      await registry.disableDevice(deviceId);

      await expect(connectTestDevice(broker.address, accessToken)).rejects.toMatchObject({ code: 4 });
    });
  });

  describe('PUBLISH', () => {
    it('should store telemetry before acknowledging it (QoS 1) and announce it on onTelemetry', async () => {
      const { deviceId, accessToken } = await newDevice();
      const events: DeviceTelemetryEvent[] = [];
      const unsubscribe = registry.onTelemetry((event) => events.push(event));
      const client = await connect(accessToken);

      await client.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ battery: 64, task: 'delivering' }), {
        qos: 1,
      });

      // No polling: the PUBACK came after the commit.
      await expect(registry.getLatestTelemetry(deviceId)).resolves.toEqual({
        battery: { value: 64, ts: expect.any(Date) },
        task: { value: 'delivering', ts: expect.any(Date) },
      });
      expect(events).toContainEqual({
        deviceId,
        values: { battery: { value: 64, ts: expect.any(Date) }, task: { value: 'delivering', ts: expect.any(Date) } },
      });
      unsubscribe();
    });

    it('should store QoS 0 telemetry too', async () => {
      const { deviceId, accessToken } = await newDevice();
      const client = await connect(accessToken);

      await client.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ battery: 12 }), { qos: 0 });

      await eventually(async () => {
        await expect(registry.getLatestTelemetry(deviceId)).resolves.toMatchObject({ battery: { value: 12 } });
      });
    });

    it("should store v1/devices/me/attributes as the device's client attributes", async () => {
      const { deviceId, accessToken } = await newDevice();
      const client = await connect(accessToken);

      await client.publishAsync(DEVICE_ATTRIBUTES_TOPIC, JSON.stringify({ firmwareVersion: '3.0.1' }), { qos: 1 });
      await client.publishAsync(DEVICE_ATTRIBUTES_TOPIC, JSON.stringify({ bootCount: 7 }), { qos: 1 });

      await expect(registry.getDevice(deviceId)).resolves.toMatchObject({
        attributes: { type: 'amr' },
        clientAttributes: { firmwareVersion: '3.0.1', bootCount: 7 },
      });
    });

    it.each(['v1/devices/other/telemetry', 'v1/devices/me/rpc/response/1', '$SYS/broker/x', 'anything'])(
      'should acknowledge and drop a publish to %s and keep the connection open (as ThingsBoard does)',
      async (topic) => {
        const { deviceId, accessToken } = await newDevice();
        const client = await connect(accessToken);

        await client.publishAsync(topic, JSON.stringify({ battery: 1 }), { qos: 1 });

        expect(client.connected).toBe(true);
        await expect(registry.getLatestTelemetry(deviceId)).resolves.toEqual({});
        await client.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ battery: 2 }), { qos: 1 });
        await expect(registry.getLatestTelemetry(deviceId)).resolves.toMatchObject({ battery: { value: 2 } });
      },
    );

    it('should close the connection on a wildcard in a PUBLISH topic (a protocol violation)', async () => {
      const { accessToken } = await newDevice();
      const client = await connect(accessToken);
      const gone = closed(client);

      client.publish('v1/devices/me/#', '{}', { qos: 0 });

      await gone;
      expect(client.connected).toBe(false);
    });

    it.each([
      ['not JSON', 'battery=5'],
      ['a JSON scalar', '42'],
      ['values that are not an object', '{"ts":1,"values":3}'],
    ])('should close the connection on a telemetry payload that is %s, storing nothing', async (_case, payload) => {
      const { deviceId, accessToken } = await newDevice();
      const client = await connect(accessToken);
      const gone = closed(client);

      client.publish(DEVICE_TELEMETRY_TOPIC, payload, { qos: 0 });

      await gone;
      await expect(registry.getLatestTelemetry(deviceId)).resolves.toEqual({});
    });

    it("should never deliver one device's publish to another device's subscription", async () => {
      const listener = await newDevice();
      const talker = await newDevice();
      const listening = await connect(listener.accessToken);
      const received: string[] = [];
      listening.on('message', (topic) => received.push(topic));
      await listening.subscribeAsync(DEVICE_ATTRIBUTES_TOPIC, { qos: 1 });
      const talking = await connect(talker.accessToken);

      await talking.publishAsync(DEVICE_ATTRIBUTES_TOPIC, JSON.stringify({ secret: 'x' }), { qos: 1, retain: true });
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(received).toEqual([]);
      // Nor retained for a later subscriber.
      const late = await connect((await newDevice()).accessToken);
      late.on('message', (topic) => received.push(topic));
      await late.subscribeAsync(DEVICE_ATTRIBUTES_TOPIC, { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual([]);
    });
  });

  describe('SUBSCRIBE', () => {
    it('should grant only the device topics and answer 0x80 for any other filter', async () => {
      const { accessToken } = await newDevice();
      const client = await connect(accessToken);

      // mqtt.js rejects when any filter is refused; the SUBACK rides on the error.
      const refusal = await client
        .subscribeAsync(
          [
            'v1/devices/me/attributes',
            'v1/devices/me/attributes/response/+',
            'v1/devices/me/rpc/request/+',
            '#',
            'v1/devices/+/telemetry',
            '$SYS/#',
          ],
          { qos: 1 },
        )
        .then(
          () => undefined,
          (error: ErrorWithSubackPacket) => error,
        );

      expect(refusal?.packet.granted).toEqual([1, 1, 1, 128, 128, 128]);
      expect(client.connected).toBe(true);
    });
  });

  describe('revocation of live sessions', () => {
    it('rotateAccessToken should close the session opened with the old token and refuse that token afterwards', async () => {
      const { deviceId, accessToken } = await newDevice();
      const client = await connect(accessToken);
      const gone = closed(client);

      const { accessToken: newToken } = await registry.rotateAccessToken(deviceId);

      await gone;
      await expect(connectTestDevice(broker.address, accessToken)).rejects.toMatchObject({ code: 4 });
      const renewed = await connect(newToken);
      await renewed.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ battery: 90 }), { qos: 1 });
      await expect(registry.getLatestTelemetry(deviceId)).resolves.toMatchObject({ battery: { value: 90 } });
    });

    it('should leave the sessions of other devices open', async () => {
      const rotated = await newDevice();
      const bystander = await newDevice();
      const rotatedClient = await connect(rotated.accessToken);
      const bystanderClient = await connect(bystander.accessToken);
      const gone = closed(rotatedClient);

      await registry.rotateAccessToken(rotated.deviceId);
      await gone;

      expect(bystanderClient.connected).toBe(true);
    });

    it('disableDevice should close the session and refuse the token until enableDevice', async () => {
      const { deviceId, accessToken } = await newDevice();
      const client = await connect(accessToken);
      const gone = closed(client);

      await registry.disableDevice(deviceId);

      await gone;
      await expect(connectTestDevice(broker.address, accessToken)).rejects.toMatchObject({ code: 4 });
      await registry.enableDevice(deviceId);
      await expect(connect(accessToken)).resolves.toMatchObject({ connected: true });
    });

    it('deleteDevice should close the session and refuse the token', async () => {
      const { deviceId, accessToken } = await newDevice();
      const client = await connect(accessToken);
      const gone = closed(client);

      await registry.deleteDevice(deviceId);

      await gone;
      await expect(connectTestDevice(broker.address, accessToken)).rejects.toMatchObject({ code: 4 });
    });
  });

  describe('under load', () => {
    it('should store all 2,000 messages of 10 concurrent devices, in far fewer write statements', async () => {
      const devices = await Promise.all(Array.from({ length: 10 }, () => newDevice()));
      const connected = await Promise.all(devices.map((device) => connect(device.accessToken)));
      const before = registry.telemetryStats;

      await Promise.all(
        connected.map((client, index) =>
          Promise.all(
            Array.from({ length: 200 }, (_, seq) =>
              client.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ [`k${seq}`]: seq, seq }), {
                // Half the devices use QoS 0: batching must not lose those either.
                qos: index % 2 === 0 ? 1 : 0,
              }),
            ),
          ),
        ),
      );

      await eventually(async () => {
        expect(registry.telemetryStats.storedMessages - before.storedMessages).toBe(2000);
      }, 15_000);
      for (const device of devices) {
        const latest = await registry.getLatestTelemetry(device.deviceId);
        // One key per message, so every message left its own row behind.
        expect(Object.keys(latest)).toHaveLength(201);
        // Arrival order per device is kept: the last message's value is the latest.
        expect(latest['seq'].value).toBe(199);
        // And every value of every message is in the history (two per message).
        await expect(registry.telemetryHistorySummary(device.deviceId, 'acct-1')).resolves.toEqual({
          application: 400,
        });
      }
      const batches = registry.telemetryStats.writtenBatches - before.writtenBatches;
      expect(batches).toBeLessThan(2000 / 5);
    });
  });

  describe('durability', () => {
    it('should not acknowledge telemetry it could not store, and close the connection instead', async () => {
      const failing = new EmbeddedDeviceRegistry(db.prisma, { ...DEFAULT_TELEMETRY_BATCHING, retryDelaysMs: [10] });
      const failingBroker = new EmbeddedMqttBroker(failing, { host: '127.0.0.1', port: 0 });
      await failingBroker.start();
      const { deviceId, accessToken } = await newDevice();
      const client = await connectTestDevice(failingBroker.address, accessToken);
      clients.push(client);
      const gone = closed(client);
      let acknowledged = false;
      await db.prisma.$executeRawUnsafe('ALTER TABLE "registry"."latest_telemetry" RENAME TO "latest_telemetry_off"');
      try {
        void client.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ battery: 3 }), { qos: 1 }).then(
          () => (acknowledged = true),
          () => undefined,
        );
        await gone;
      } finally {
        await db.prisma.$executeRawUnsafe('ALTER TABLE "registry"."latest_telemetry_off" RENAME TO "latest_telemetry"');
      }

      expect(acknowledged).toBe(false);
      await expect(failing.getLatestTelemetry(deviceId)).resolves.toEqual({});
      await failingBroker.stop();
      await failing.close();
    });

    it('stop() should commit the queued telemetry and acknowledge it before closing sessions', async () => {
      // A batching delay far longer than the test: only stop() can write these messages.
      const slow = new EmbeddedDeviceRegistry(db.prisma, { ...DEFAULT_TELEMETRY_BATCHING, maxDelayMs: 60_000 });
      const slowBroker = new EmbeddedMqttBroker(slow, { host: '127.0.0.1', port: 0 });
      await slowBroker.start();
      const devices = await Promise.all(Array.from({ length: 5 }, () => newDevice()));
      const connected = await Promise.all(
        devices.map((device) => connectTestDevice(slowBroker.address, device.accessToken)),
      );
      clients.push(...connected);
      const acknowledged = Promise.all(
        connected.map((client, seq) =>
          client.publishAsync(DEVICE_TELEMETRY_TOPIC, JSON.stringify({ seq }), { qos: 1 }),
        ),
      );
      await eventually(async () => expect(slow.telemetryStats.queuedMessages).toBe(5));

      await slowBroker.stop();
      await slow.close();

      await expect(acknowledged).resolves.toHaveLength(5);
      for (const [seq, device] of devices.entries()) {
        await expect(registry.getLatestTelemetry(device.deviceId)).resolves.toMatchObject({ seq: { value: seq } });
      }
    });
  });
});
