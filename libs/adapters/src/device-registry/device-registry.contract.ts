import { randomUUID } from 'node:crypto';
import type { DeviceRegistry, RegisterDeviceInput } from './device-registry.port.js';

export interface DeviceRegistryHarness {
  registry: DeviceRegistry;
  /**
   * Sends telemetry as a device does, through the adapter's own transport (the embedded broker's
   * MQTT), resolving once the backend has accepted it. Required when the suite is told the adapter
   * has a telemetry transport.
   */
  publishTelemetry: (accessToken: string, payload: unknown) => Promise<void>;
  close(): Promise<void>;
}

/**
 * The one suite every DeviceRegistry adapter runs (STYLE.md §9): same calls, same results, same
 * error codes, whichever backend holds the devices.
 */
export function describeDeviceRegistryContract(name: string, makeAdapter: () => Promise<DeviceRegistryHarness>): void {
  describe(`${name} (DeviceRegistry contract)`, () => {
    let harness: DeviceRegistryHarness;
    let registry: DeviceRegistry;

    beforeAll(async () => {
      harness = await makeAdapter();
      registry = harness.registry;
    });
    afterAll(() => harness?.close());

    const newDevice = (overrides: Partial<RegisterDeviceInput> = {}): RegisterDeviceInput => ({
      deviceId: `dev-${randomUUID()}`,
      accountId: 'acct-robomake',
      name: 'AMR-X1 controller',
      profile: 'controller',
      attributes: { type: 'controller', manufacturer: 'RoboMake', serial: 'SN-001', capabilities: ['nav'] },
      ...overrides,
    });

    describe('registerDevice', () => {
      it('should store the device with its attributes and issue a token that authenticates it', async () => {
        const input = newDevice();
        const { accessToken } = await registry.registerDevice(input);

        expect(accessToken.length).toBeGreaterThanOrEqual(20);
        const expected = {
          deviceId: input.deviceId,
          accountId: 'acct-robomake',
          name: 'AMR-X1 controller',
          profile: 'controller',
          attributes: input.attributes,
          clientAttributes: {},
          enabled: true,
        };
        await expect(registry.getDevice(input.deviceId)).resolves.toEqual(expected);
        await expect(registry.authenticate(accessToken)).resolves.toEqual(expected);
      });

      it('should refuse a second device with the same id', async () => {
        const input = newDevice();
        await registry.registerDevice(input);

        await expect(registry.registerDevice({ ...input, name: 'another' })).rejects.toMatchObject({
          code: 'DEVICE_REGISTRY.DEVICE_ALREADY_REGISTERED',
          kind: 'conflict',
        });
      });

      it('should issue a different token to every device', async () => {
        const first = await registry.registerDevice(newDevice());
        const second = await registry.registerDevice(newDevice());

        expect(first.accessToken).not.toEqual(second.accessToken);
      });

      it('should refuse a blank device id or attribute key', async () => {
        await expect(registry.registerDevice(newDevice({ deviceId: ' ' }))).rejects.toMatchObject({
          code: 'DEVICE_REGISTRY.INVALID_INPUT',
        });
        await expect(registry.registerDevice(newDevice({ attributes: { '': 1 } }))).rejects.toMatchObject({
          code: 'DEVICE_REGISTRY.INVALID_INPUT',
        });
      });
    });

    describe('updateDevice', () => {
      it('should upgrade the profile and merge attributes (assembly: controller → amr)', async () => {
        const input = newDevice();
        await registry.registerDevice(input);

        const updated = await registry.updateDevice(input.deviceId, {
          profile: 'amr',
          attributes: { type: 'amr', model: 'X1', revision: 'r3' },
        });

        expect(updated).toMatchObject({
          profile: 'amr',
          accountId: 'acct-robomake',
          attributes: { ...input.attributes, type: 'amr', model: 'X1', revision: 'r3' },
        });
        await expect(registry.getDevice(input.deviceId)).resolves.toEqual(updated);
      });

      it('should move the device to another account (transfer) and keep its token working', async () => {
        const input = newDevice();
        const { accessToken } = await registry.registerDevice(input);

        await registry.updateDevice(input.deviceId, { accountId: 'acct-warehouse-a' });

        await expect(registry.getDevice(input.deviceId)).resolves.toMatchObject({
          accountId: 'acct-warehouse-a',
          profile: 'controller',
          attributes: input.attributes,
        });
        await expect(registry.authenticate(accessToken)).resolves.toMatchObject({ accountId: 'acct-warehouse-a' });
      });
    });

    describe('rotateAccessToken', () => {
      it('should issue a new token and refuse the old one', async () => {
        const input = newDevice();
        const { accessToken: oldToken } = await registry.registerDevice(input);

        const { accessToken: newToken } = await registry.rotateAccessToken(input.deviceId);

        expect(newToken).not.toEqual(oldToken);
        await expect(registry.authenticate(oldToken)).resolves.toBeNull();
        await expect(registry.authenticate(newToken)).resolves.toMatchObject({ deviceId: input.deviceId });
      });

      it('should keep a suspended device suspended; the new token works once it is enabled', async () => {
        const input = newDevice();
        await registry.registerDevice(input);
        await registry.disableDevice(input.deviceId);

        const { accessToken } = await registry.rotateAccessToken(input.deviceId);

        await expect(registry.authenticate(accessToken)).resolves.toBeNull();
        await registry.enableDevice(input.deviceId);
        await expect(registry.authenticate(accessToken)).resolves.toMatchObject({ deviceId: input.deviceId });
      });
    });

    describe('disableDevice / enableDevice', () => {
      it('should refuse the token while suspended and accept the same token after reactivation', async () => {
        const input = newDevice();
        const { accessToken } = await registry.registerDevice(input);

        await registry.disableDevice(input.deviceId);
        await registry.disableDevice(input.deviceId);

        await expect(registry.authenticate(accessToken)).resolves.toBeNull();
        await expect(registry.getDevice(input.deviceId)).resolves.toMatchObject({ enabled: false });

        await registry.enableDevice(input.deviceId);
        await registry.enableDevice(input.deviceId);

        await expect(registry.authenticate(accessToken)).resolves.toMatchObject({
          deviceId: input.deviceId,
          enabled: true,
        });
      });
    });

    describe('deleteDevice', () => {
      it('should remove the device and its token; the id may be registered again', async () => {
        const input = newDevice();
        const { accessToken } = await registry.registerDevice(input);

        await registry.deleteDevice(input.deviceId);

        await expect(registry.getDevice(input.deviceId)).rejects.toMatchObject({
          code: 'DEVICE_REGISTRY.DEVICE_NOT_FOUND',
        });
        await expect(registry.authenticate(accessToken)).resolves.toBeNull();
        await expect(registry.registerDevice(input)).resolves.toEqual({ accessToken: expect.any(String) });
      });
    });

    describe('unknown devices', () => {
      const missing = `dev-missing-${randomUUID()}`;
      it.each([
        ['getDevice', () => registry.getDevice(missing)],
        ['updateDevice', () => registry.updateDevice(missing, { profile: 'amr' })],
        ['rotateAccessToken', () => registry.rotateAccessToken(missing)],
        ['disableDevice', () => registry.disableDevice(missing)],
        ['enableDevice', () => registry.enableDevice(missing)],
        ['deleteDevice', () => registry.deleteDevice(missing)],
        ['getLatestTelemetry', () => registry.getLatestTelemetry(missing)],
      ])('%s should throw DEVICE_REGISTRY.DEVICE_NOT_FOUND', async (_operation, call) => {
        await expect(call()).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.DEVICE_NOT_FOUND', kind: 'not_found' });
      });

      it('authenticate should answer null for a token nobody holds', async () => {
        await expect(registry.authenticate('not-a-token')).resolves.toBeNull();
        await expect(registry.authenticate('')).resolves.toBeNull();
      });
    });

    describe('getLatestTelemetry', () => {
      it('should answer {} for a device that has sent nothing', async () => {
        const input = newDevice();
        await registry.registerDevice(input);

        await expect(registry.getLatestTelemetry(input.deviceId)).resolves.toEqual({});
      });
    });

    describe('telemetry round trip through the adapter transport', () => {
      const publish: NonNullable<DeviceRegistryHarness['publishTelemetry']> = (accessToken, payload) => {
        return harness.publishTelemetry(accessToken, payload);
      };

      it('should keep the latest value and timestamp per key, in every payload form ThingsBoard accepts', async () => {
        const input = newDevice();
        const { accessToken } = await registry.registerDevice(input);
        const before = Date.now();

        await publish(accessToken, { battery: 81, task: 'idle', pose: { x: 1.5, y: -2 } });

        const first = await registry.getLatestTelemetry(input.deviceId);
        expect(first).toEqual({
          battery: { value: 81, ts: expect.any(Date) },
          task: { value: 'idle', ts: expect.any(Date) },
          pose: { value: { x: 1.5, y: -2 }, ts: expect.any(Date) },
        });
        expect(first['battery'].ts.getTime()).toBeGreaterThanOrEqual(before - 1000);

        // An older sample (device clock, `{ts, values}` form) does not replace a newer one.
        await publish(accessToken, { ts: 1_700_000_000_000, values: { battery: 10 } });
        await expect(registry.getLatestTelemetry(input.deviceId)).resolves.toMatchObject({ battery: { value: 81 } });

        const later = Date.now() + 60_000;
        await publish(accessToken, [{ ts: later, values: { battery: 55 } }, { task: 'charging' }]);
        await expect(registry.getLatestTelemetry(input.deviceId)).resolves.toMatchObject({
          battery: { value: 55, ts: new Date(later) },
          task: { value: 'charging' },
        });
      });
    });
  });
}
