import {
  DeviceRegistryUnavailableError,
  IdentityProviderUnavailableError,
  OtaBackendUnavailableError,
  type DeviceRegistry,
  type IdentityProvider,
  type OtaTargets,
} from '@flexgalaxy/adapters';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { credentialsOf, ProvisioningHarness } from './provisioning.harness.js';

type Account = { id: string; path: string; orgRootId: string };

/** A decorator of a real port whose `method` fails as if its backend were down. */
function failing<T extends object>(real: T, method: string, error: () => Error): T {
  return new Proxy(real, {
    get(target, property, receiver) {
      if (property === method) return () => Promise.reject(error());
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const registryDown = () => new DeviceRegistryUnavailableError('injected');
const otaDown = () => new OtaBackendUnavailableError('injected');
const identityDown = () => new IdentityProviderUnavailableError('injected');

/**
 * seed 002 "Compensating transactions": a backend failing at any step of an enrollment or a
 * transfer leaves no partial record anywhere, the device in its previous state, and the caller a
 * 503 naming the failed system.
 */
describe.each(DRIVERS)('provisioning compensation on %s', (driver) => {
  let db: TestDatabase;
  let h: ProvisioningHarness;
  let maker: Account;
  let customer: Account;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    h = await ProvisioningHarness.start(db);
    maker = await h.account('maker');
    customer = await h.account('end_user');
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  let counter = 0;
  const serial = (prefix: string) => `${prefix}-${driver}-${Date.now()}-${++counter}`;

  async function claimToken(account: Account, deviceType: string): Promise<string> {
    const created = await h.call('POST', '/provisioning/v1/claim-tokens', {
      token: await h.tokenOf(account.id),
      body: { accountId: account.id, deviceType },
    });
    return (created.body['tokens'] as { token: string }[])[0]!.token;
  }

  describe('enrollment (PDA: registry, OTA target, M2M client)', () => {
    it.each([
      {
        step: 'registerDevice',
        system: 'device-registry',
        wrap: { registry: (r: DeviceRegistry) => failing(r, 'registerDevice', registryDown) },
      },
      { step: 'upsertTarget', system: 'ota', wrap: { ota: (r: OtaTargets) => failing(r, 'upsertTarget', otaDown) } },
      {
        step: 'createClient',
        system: 'identity',
        wrap: { identity: (r: IdentityProvider) => failing(r, 'createClient', identityDown) },
      },
    ])(
      'should undo everything when $step fails, answer 503 naming $system, and keep the token',
      async ({ system, wrap }) => {
        const token = await claimToken(customer, 'pda');
        const s = serial('PDA');
        const body = { scenario: 'field', claim_token: token, device_type: 'pda', serial: s };
        const restore = h.wrapPorts(wrap);
        let answer;
        try {
          answer = await h.enrollOverHttp(body);
        } finally {
          restore();
        }

        expect(answer.status).toBe(503);
        expect(answer.body).toMatchObject({ code: 'PROVISIONING.BACKEND_FAILED', details: { system } });
        expect(await h.prisma.provisioningDevice.count({ where: { serial: s } })).toBe(0);
        expect(await h.prisma.registryDevice.count({ where: { name: `pda ${s}` } })).toBe(0);
        expect([...h.fake.targets.values()].filter((target) => target.attributes['serial'] === s)).toEqual([]);
        expect(await h.prisma.identityClient.count({ where: { description: { contains: s }, deletedAt: null } })).toBe(
          0,
        );
        expect(
          await h.prisma.outboxEvent.count({
            where: { type: 'device.provisioned', payload: { path: ['attributes', 'serial'], equals: s } },
          }),
        ).toBe(0);
        // The token was given back: the same enrollment succeeds once the backend is back.
        const retry = await h.enrollOverHttp(body);
        expect(retry.status).toBe(201);
      },
    );
  });

  describe('assembly', () => {
    it('should leave the controller Factory Provisioned everywhere when the M2M client cannot be created', async () => {
      const ca = h.pki.subCa(`maker-${driver}`);
      expect((await h.registerCa(maker.id, ca.pem)).status).toBe(201);
      const controller = serial('CTRL');
      const cert = h.pki.device(ca, { O: `maker-${driver}`, CN: controller });
      const factory = await h.enrollOverTls(
        { scenario: 'factory', device_type: 'controller', serial: controller },
        cert,
      );
      const deviceId = String(factory.body['deviceId']);
      const restore = h.wrapPorts({ identity: (real) => failing(real, 'createClient', identityDown) });
      let answer;
      try {
        answer = await h.enrollOverTls(
          {
            scenario: 'assembly',
            device_type: 'amr',
            parent_serial: controller,
            serial: serial('AMR'),
            capabilities: ['navigation'],
          },
          cert,
        );
      } finally {
        restore();
      }
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ details: { system: 'identity' } });
      await expect(h.registry.getDevice(deviceId)).resolves.toMatchObject({
        profile: 'controller',
        attributes: expect.objectContaining({ type: 'controller', serial: controller }),
      });
      expect(h.fake.targets.get(deviceId)?.attributes).toMatchObject({
        type: 'controller',
        serial: controller,
        capabilities: [],
      });
      const device = await h.call('GET', `/provisioning/v1/devices/${deviceId}`, { token: await h.tokenOf(maker.id) });
      expect(device.body).toMatchObject({
        state: 'FACTORY_PROVISIONED',
        type: 'controller',
        serial: controller,
        hasM2mClient: false,
      });
      // Nothing was rotated before the failure: the factory credentials still work.
      expect(await h.mqttConnect(credentialsOf(factory).mqtt.accessToken)).toBe('accepted');
      expect(await h.fake.ddiStatus(deviceId, credentialsOf(factory).ddi.securityToken)).toBe(200);
    });
  });

  describe('transfer', () => {
    it.each([
      {
        step: 'registry updateDevice',
        system: 'device-registry',
        wrap: { registry: (r: DeviceRegistry) => failing(r, 'updateDevice', registryDown) },
      },
      {
        step: 'registry transferTelemetry',
        system: 'device-registry',
        wrap: { registry: (r: DeviceRegistry) => failing(r, 'transferTelemetry', registryDown) },
      },
      {
        step: 'identity updateClient',
        system: 'identity',
        wrap: { identity: (r: IdentityProvider) => failing(r, 'updateClient', identityDown) },
      },
      {
        step: 'OTA updateTarget',
        system: 'ota',
        wrap: { ota: (r: OtaTargets) => failing(r, 'updateTarget', otaDown) },
      },
      {
        step: 'identity rotateSecret',
        system: 'identity',
        wrap: { identity: (r: IdentityProvider) => failing(r, 'rotateSecret', identityDown) },
      },
      {
        step: 'registry rotateAccessToken',
        system: 'device-registry',
        wrap: { registry: (r: DeviceRegistry) => failing(r, 'rotateAccessToken', registryDown) },
      },
    ])(
      'should keep the device in its account everywhere when $step fails (503 naming $system)',
      async ({ system, wrap }) => {
        const token = await claimToken(maker, 'pda');
        const enrolled = await h.enrollOverHttp({
          scenario: 'field',
          claim_token: token,
          device_type: 'pda',
          serial: serial('PDA'),
        });
        const deviceId = String(enrolled.body['deviceId']);
        await h.publishTelemetry(credentialsOf(enrolled).mqtt.accessToken, { battery: 90, task: 'idle' });

        const restore = h.wrapPorts(wrap);
        let answer;
        try {
          answer = await h.call('POST', `/provisioning/v1/devices/${deviceId}/transfer`, {
            token: await h.tokenOf(maker.id),
            body: { targetAccountId: customer.id },
          });
        } finally {
          restore();
        }

        expect(answer.status).toBe(503);
        expect(answer.body).toMatchObject({ code: 'PROVISIONING.BACKEND_FAILED', details: { system } });
        await expect(h.registry.getDevice(deviceId)).resolves.toMatchObject({ accountId: maker.id });
        expect(h.fake.targets.get(deviceId)?.accountId).toBe(maker.id);
        await expect(h.identity.getClient(deviceId)).resolves.toMatchObject({ accountId: maker.id });
        expect(await h.embeddedRegistry.telemetryHistorySummary(deviceId, maker.id)).toEqual({
          operational: 1,
          task_logs: 1,
        });
        expect(await h.embeddedRegistry.telemetryHistorySummary(deviceId, customer.id)).toEqual({});
        const device = await h.call('GET', `/provisioning/v1/devices/${deviceId}`, {
          token: await h.tokenOf(maker.id),
        });
        expect(device.body).toMatchObject({ state: 'FIELD_ACTIVE', accountId: maker.id });
        expect((device.body['history'] as { action: string }[]).map((entry) => entry.action)).toEqual(['ENROLLED']);
        expect(await h.eventsOf(deviceId)).toEqual(['device.provisioned']);
        // Once the backend is back, the transfer goes through.
        const retry = await h.call('POST', `/provisioning/v1/devices/${deviceId}/transfer`, {
          token: await h.tokenOf(maker.id),
          body: { targetAccountId: customer.id },
        });
        expect(retry.status).toBe(200);
      },
    );
  });

  describe('decommission', () => {
    it('should keep the device and answer 503 when a deletion fails, and finish on retry', async () => {
      const token = await claimToken(maker, 'pda');
      const enrolled = await h.enrollOverHttp({
        scenario: 'field',
        claim_token: token,
        device_type: 'pda',
        serial: serial('PDA'),
      });
      const deviceId = String(enrolled.body['deviceId']);
      const restore = h.wrapPorts({ ota: (real) => failing(real, 'deleteTarget', otaDown) });
      let answer;
      try {
        answer = await h.call('DELETE', `/provisioning/v1/devices/${deviceId}`, { token: await h.tokenOf(maker.id) });
      } finally {
        restore();
      }
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ details: { system: 'ota' } });
      const device = await h.call('GET', `/provisioning/v1/devices/${deviceId}`, { token: await h.tokenOf(maker.id) });
      expect(device.body['state']).toBe('FIELD_ACTIVE');
      const retry = await h.call('DELETE', `/provisioning/v1/devices/${deviceId}`, {
        token: await h.tokenOf(maker.id),
      });
      expect(retry).toMatchObject({ status: 200, body: { state: 'DECOMMISSIONED' } });
      expect(h.fake.targets.has(deviceId)).toBe(false);
    });
  });
});
