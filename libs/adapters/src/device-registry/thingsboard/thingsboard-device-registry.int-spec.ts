import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { ThingsboardFake } from '@flexgalaxy/testing';
import { describeDeviceRegistryContract } from '../device-registry.contract.js';
import { ThingsboardDeviceRegistry } from './thingsboard-device-registry.js';

function registryFor(fake: ThingsboardFake, overrides: { password?: string; url?: string } = {}) {
  return new ThingsboardDeviceRegistry({
    url: overrides.url ?? fake.url,
    username: fake.credentials.username,
    password: overrides.password ?? fake.credentials.password,
    timeoutMs: 2000,
  });
}

describeDeviceRegistryContract('ThingsBoard REST adapter against the HTTP fake', async () => {
  const fake = await new ThingsboardFake().start();
  return {
    registry: registryFor(fake),
    // ThingsBoard's device HTTP API: the same ingest path as its MQTT transport, minus MQTT.
    publishTelemetry: async (accessToken, payload) => {
      await axios.post(`${fake.url}/api/v1/${accessToken}/telemetry`, payload);
    },
    close: () => fake.close(),
  };
});

describe(ThingsboardDeviceRegistry.name, () => {
  let fake: ThingsboardFake;
  let registry: ThingsboardDeviceRegistry;

  beforeEach(async () => {
    fake = await new ThingsboardFake().start();
    registry = registryFor(fake);
  });
  afterEach(() => fake.close());

  const register = async (overrides: { accountId?: string; deviceId?: string } = {}) => {
    const deviceId = overrides.deviceId ?? `amr-${randomUUID()}`;
    const issued = await registry.registerDevice({
      deviceId,
      accountId: overrides.accountId ?? 'acct-robomake',
      name: 'AMR-X1 #7',
      profile: 'controller',
      attributes: { manufacturer: 'RoboMake', serial: 'SN-7' },
    });
    const tbDevice = fake.state.deviceByName(deviceId);
    return { deviceId, ...issued, tbId: tbDevice.id.id };
  };

  describe('registerDevice', () => {
    it('should create the ThingsBoard device named by our device_id, with our token, profile and customer', async () => {
      const { deviceId, accessToken, tbId } = await register();

      const tbDevice = fake.state.device(tbId);
      expect(tbDevice).toMatchObject({ name: deviceId, label: 'AMR-X1 #7', type: 'controller' });
      expect(fake.state.credentialsOf(tbId)).toMatchObject({
        credentialsType: 'ACCESS_TOKEN',
        credentialsId: accessToken,
      });
      expect(fake.state.customer(tbDevice.customerId.id).title).toBe('flexgalaxy:acct-robomake');
      expect(fake.state.readAttributes(tbId, 'SERVER_SCOPE', undefined)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: 'manufacturer', value: 'RoboMake' }),
          expect.objectContaining({ key: 'serial', value: 'SN-7' }),
        ]),
      );
    });

    it('should reuse the customer of an account for its next devices', async () => {
      const first = await register();
      const second = await register();

      expect(fake.state.device(first.tbId).customerId).toEqual(fake.state.device(second.tbId).customerId);
      expect(fake.state.customers.size).toBe(1);
    });

    it('should leave no half-created device behind when a later step fails', async () => {
      const deviceId = `amr-${randomUUID()}`;
      const input = { deviceId, accountId: 'acct-x', name: '', profile: 'p', attributes: { a: 1 } };
      const saveAttributes = fake.state.saveAttributes;
      // The device is created, then saving its attributes fails with a 500.
      fake.state.saveAttributes = () => {
        throw new Error('attribute store down');
      };

      await expect(registry.registerDevice(input)).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.UNAVAILABLE' });

      fake.state.saveAttributes = saveAttributes;
      expect(() => fake.state.deviceByName(deviceId)).toThrow();
      await expect(registry.registerDevice(input)).resolves.toEqual({ accessToken: expect.any(String) });
    });
  });

  describe('updateDevice', () => {
    it('should reassign the device to the customer of the new account on transfer', async () => {
      const { deviceId, tbId } = await register();

      await registry.updateDevice(deviceId, { accountId: 'acct-warehouse-a' });

      const customerId = fake.state.device(tbId).customerId.id;
      expect(fake.state.customer(customerId).title).toBe('flexgalaxy:acct-warehouse-a');
      expect(fake.requests).toContain(`POST /api/customer/${customerId}/device/${tbId}`);
    });

    it("should move the device to the profile named by `type` (ThingsBoard's find-or-create)", async () => {
      const { deviceId, tbId } = await register();
      const controllerProfile = fake.state.device(tbId).deviceProfileId.id;

      await registry.updateDevice(deviceId, { profile: 'amr' });

      expect(fake.state.device(tbId).type).toBe('amr');
      expect(fake.state.device(tbId).deviceProfileId.id).not.toBe(controllerProfile);
    });

    it('should keep the other keys of additionalInfo', async () => {
      const { deviceId, tbId } = await register();
      fake.state.device(tbId).additionalInfo = {
        ...(fake.state.device(tbId).additionalInfo as object),
        description: 'dock 4',
      };

      await registry.updateDevice(deviceId, { accountId: 'acct-b' });

      expect(fake.state.device(tbId).additionalInfo).toMatchObject({
        description: 'dock 4',
        flexgalaxy: { accountId: 'acct-b' },
      });
    });
  });

  describe('disableDevice / enableDevice', () => {
    it('should swap the ThingsBoard token for one nobody holds, then restore the original', async () => {
      const { deviceId, accessToken, tbId } = await register();

      await registry.disableDevice(deviceId);

      expect(fake.state.credentialsOf(tbId).credentialsId).not.toBe(accessToken);
      await registry.enableDevice(deviceId);
      expect(fake.state.credentialsOf(tbId).credentialsId).toBe(accessToken);
      expect(fake.state.device(tbId).additionalInfo).toEqual({
        flexgalaxy: { accountId: 'acct-robomake', disabled: false },
      });
    });
  });

  describe('getLatestTelemetry', () => {
    it('should map ThingsBoard latest values, typed (useStrictDataTypes), with their timestamps', async () => {
      const { deviceId, accessToken } = await register();
      // As a device would, through ThingsBoard's device HTTP API.
      await axios.post(`${fake.url}/api/v1/${accessToken}/telemetry`, [
        { ts: 1_700_000_000_000, values: { battery: 80, task: 'idle' } },
        { ts: 1_700_000_060_000, values: { battery: 79, charging: false, pose: { x: 1 } } },
      ]);

      await expect(registry.getLatestTelemetry(deviceId)).resolves.toEqual({
        battery: { value: 79, ts: new Date(1_700_000_060_000) },
        task: { value: 'idle', ts: new Date(1_700_000_000_000) },
        charging: { value: false, ts: new Date(1_700_000_060_000) },
        pose: { value: { x: 1 }, ts: new Date(1_700_000_060_000) },
      });
    });

    it('should find a device registered again under the same id by another instance', async () => {
      const { deviceId } = await register();
      await registry.getLatestTelemetry(deviceId);
      const other = registryFor(fake);
      await other.deleteDevice(deviceId);
      const { accessToken } = await other.registerDevice({
        deviceId,
        accountId: 'a',
        name: '',
        profile: 'p',
        attributes: {},
      });
      await axios.post(`${fake.url}/api/v1/${accessToken}/telemetry`, { battery: 5 });

      await expect(registry.getLatestTelemetry(deviceId)).resolves.toMatchObject({ battery: { value: 5 } });
    });
  });

  describe('devices the platform did not create', () => {
    it('should treat a ThingsBoard device without our additionalInfo as unknown, and its name as taken', async () => {
      const { deviceId } = await register();
      fake.state.deviceByName(deviceId).additionalInfo = null;

      await expect(registry.getDevice(deviceId)).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.DEVICE_NOT_FOUND' });
      await expect(registry.deleteDevice(deviceId)).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.DEVICE_NOT_FOUND' });
      await expect(
        registry.registerDevice({ deviceId, accountId: 'a', name: '', profile: 'p', attributes: {} }),
      ).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.DEVICE_ALREADY_REGISTERED' });
    });
  });

  describe('session with ThingsBoard', () => {
    it('should log in once for many calls, and again when the JWT has expired', async () => {
      const { deviceId } = await register();
      await registry.getDevice(deviceId);
      expect(fake.requests.filter((request) => request === 'POST /api/auth/login')).toHaveLength(1);

      fake.expireTokens();
      await expect(registry.getDevice(deviceId)).resolves.toMatchObject({ deviceId });

      expect(fake.requests.filter((request) => request === 'POST /api/auth/login')).toHaveLength(2);
    });

    it('should report DEVICE_REGISTRY.UNAVAILABLE when ThingsBoard refuses our credentials', async () => {
      const misconfigured = registryFor(fake, { password: 'wrong' });

      await expect(misconfigured.getDevice('any')).rejects.toMatchObject({
        code: 'DEVICE_REGISTRY.UNAVAILABLE',
        kind: 'unavailable',
      });
    });

    it('should report DEVICE_REGISTRY.UNAVAILABLE on 5xx and when ThingsBoard is down', async () => {
      const { deviceId } = await register();
      fake.failNextRequests(1);
      await expect(registry.getDevice(deviceId)).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.UNAVAILABLE' });

      await fake.close();
      await expect(registry.getDevice(deviceId)).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.UNAVAILABLE' });
    });
  });
});

describe(ThingsboardFake.name, () => {
  let fake: ThingsboardFake;
  let token: string;

  beforeAll(async () => {
    fake = await new ThingsboardFake().start();
    const login = await axios.post(`${fake.url}/api/auth/login`, fake.credentials);
    token = login.data.token;
  });
  afterAll(() => fake.close());

  const call = (method: string, path: string, data?: unknown, authenticated = true) =>
    axios.request({
      method,
      url: `${fake.url}${path}`,
      data,
      headers: authenticated ? { 'X-Authorization': `Bearer ${token}` } : {},
      validateStatus: () => true,
    });

  it.each([
    [
      'no token',
      'GET',
      '/api/tenant/devices?deviceName=x',
      undefined,
      false,
      401,
      { errorCode: 10, message: 'Authentication failed' },
    ],
    ['an unknown device', 'GET', `/api/device/${randomUUID()}`, undefined, true, 404, { errorCode: 32 }],
    ['a malformed id', 'GET', '/api/device/not-a-uuid', undefined, true, 400, { errorCode: 31 }],
    [
      'a device without name',
      'POST',
      '/api/device',
      { type: 'x' },
      true,
      400,
      { message: 'Device name should be specified!' },
    ],
    ['a malformed body', 'POST', '/api/device', '{', true, 400, { errorCode: 31 }],
    [
      'bad login',
      'POST',
      '/api/auth/login',
      { username: 'x', password: 'y' },
      false,
      401,
      { message: 'Invalid username or password' },
    ],
  ])('should answer %s like ThingsBoard', async (_case, method, path, data, authenticated, status, body) => {
    const response = await call(method, path, data, authenticated);

    expect(response.status).toBe(status);
    expect(response.data).toMatchObject({ status, ...body });
  });

  it('should refuse a second device with the same name (400, errorCode 31)', async () => {
    await call('POST', '/api/device', { name: 'dup' });
    const response = await call('POST', '/api/device', { name: 'dup' });

    expect(response.status).toBe(400);
    expect(response.data).toMatchObject({ errorCode: 31, message: 'Device with such name already exists!' });
  });

  it('should answer the telemetry controller errors in plain text', async () => {
    const device = (await call('POST', '/api/device', { name: `t-${randomUUID()}` })).data;

    const missing = await call('GET', `/api/plugins/telemetry/DEVICE/${randomUUID()}/values/timeseries`);
    const empty = await call('POST', `/api/plugins/telemetry/DEVICE/${device.id.id}/attributes/SERVER_SCOPE`, {});
    const badScope = await call('POST', `/api/plugins/telemetry/DEVICE/${device.id.id}/attributes/CLIENT_SCOPE`, {
      a: 1,
    });

    expect([missing.status, missing.data]).toEqual([404, "Device with requested id wasn't found!"]);
    expect([empty.status, empty.data]).toEqual([400, 'No attributes data found in request body!']);
    expect([badScope.status, badScope.data]).toEqual([400, 'Invalid scope: CLIENT_SCOPE']);
  });

  it('should refuse an unknown token on the device API with a bare 401', async () => {
    const response = await call('GET', '/api/v1/nope/attributes', undefined, false);

    expect(response.status).toBe(401);
  });
});
