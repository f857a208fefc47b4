import { X509Certificate } from 'node:crypto';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { credentialsOf, ProvisioningHarness, TRUSTED_PROXY, type Answer } from './provisioning.harness.js';
import { DAYS, type TestCa } from './test-pki.js';

/**
 * seed 002 "Scenario Summary", row by row, over the real HTTP port and the real device TLS
 * listener, with certificates the tests issue; and every identity-proof rejection.
 */
describe.each(DRIVERS)('provisioning enrollment on %s (seed 002)', (driver) => {
  let db: TestDatabase;
  let h: ProvisioningHarness;
  let maker: { id: string; path: string; orgRootId: string };
  let customer: { id: string; path: string; orgRootId: string };
  let syriusCa: TestCa;
  let makerToken: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    h = await ProvisioningHarness.start(db);
    maker = await h.account('maker');
    customer = await h.account('end_user');
    makerToken = await h.tokenOf(maker.id);
    syriusCa = h.pki.subCa('syrius');
    expect((await h.registerCa(maker.id, syriusCa.pem)).status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  let counter = 0;
  const serial = (prefix: string) => `${prefix}-${driver}-${Date.now()}-${++counter}`;
  const controllerCert = (s: string) => h.pki.device(syriusCa, { O: 'syrius', CN: s });

  async function claimTokens(accountId: string, body: Record<string, unknown>): Promise<string[]> {
    const created = await h.call('POST', '/provisioning/v1/claim-tokens', {
      token: await h.tokenOf(accountId),
      body: { accountId, ...body },
    });
    expect(created.status).toBe(201);
    return (created.body['tokens'] as { token: string }[]).map((token) => token.token);
  }

  async function factory(s = serial('CTRL')): Promise<{ serial: string; answer: Answer }> {
    const answer = await h.enrollOverTls(
      {
        scenario: 'factory',
        device_type: 'controller',
        manufacturer: 'syrius',
        serial: s,
        firmware_version: 'bootloader-1.0',
      },
      controllerCert(s),
    );
    return { serial: s, answer };
  }

  async function historyOf(deviceId: string, token = makerToken) {
    const device = await h.call('GET', `/provisioning/v1/devices/${deviceId}`, { token });
    expect(device.status).toBe(200);
    return device.body as {
      state: string;
      history: { action: string; toState: string; reason: string | null; details: Record<string, unknown> }[];
    };
  }

  describe('root CA', () => {
    it('should publish the configured root CA certificate', async () => {
      const root = await h.call('GET', '/provisioning/v1/root-ca');
      expect(root.status).toBe(200);
      expect(new X509Certificate(String(root.body['certificatePem'])).fingerprint256).toBe(
        h.pki.root.certificate.fingerprint256,
      );
    });
  });

  describe('Factory: manufacturer, manufacturer account, mTLS, MQTT + DDI', () => {
    it('should register the controller under the manufacturer account with MQTT + DDI credentials and no M2M client', async () => {
      const { serial: s, answer } = await factory();

      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ state: 'FACTORY_PROVISIONED', accountId: maker.id });
      const credentials = credentialsOf(answer);
      const deviceId = String(answer.body['deviceId']);
      expect(credentials.m2m).toBeUndefined();
      expect(credentials.ddi).toEqual({
        baseUrl: h.fake.url,
        tenant: 'DEFAULT',
        controllerId: deviceId,
        securityToken: expect.any(String),
      });
      expect(credentials.mqtt).toMatchObject({ host: '127.0.0.1', port: h.brokerAddress.port });
      // Same device id in every system.
      await expect(h.registry.getDevice(deviceId)).resolves.toMatchObject({
        accountId: maker.id,
        profile: 'controller',
      });
      expect(h.fake.targets.get(deviceId)).toMatchObject({
        accountId: maker.id,
        attributes: {
          type: 'controller',
          manufacturer: 'syrius',
          serial: s,
          firmwareVersion: 'bootloader-1.0',
          capabilities: [],
          timezone: 'UTC',
          model: null,
          revision: null,
        },
      });
      await expect(h.identity.getClient(deviceId)).rejects.toMatchObject({ code: 'IDENTITY.CLIENT_NOT_FOUND' });
      expect(await h.mqttConnect(credentials.mqtt.accessToken)).toBe('accepted');
      expect(await h.fake.ddiStatus(deviceId, credentials.ddi.securityToken)).toBe(200);
      expect(await h.eventsOf(deviceId)).toEqual(['device.provisioned']);
      expect((await historyOf(deviceId)).history).toEqual([
        expect.objectContaining({ action: 'ENROLLED', toState: 'FACTORY_PROVISIONED' }),
      ]);
    });

    it('should refuse a second enrollment of the same serial with 409', async () => {
      const { serial: s } = await factory();
      const again = await factory(s);
      expect(again.answer.status).toBe(409);
      expect(again.answer.body['code']).toBe('DEVICE.ALREADY_ENROLLED');
    });

    it('should accept the certificate forwarded by a trusted proxy (URL-encoded PEM header)', async () => {
      const s = serial('CTRL');
      const answer = await h.enrollOverHttp(
        { scenario: 'factory', device_type: 'controller', serial: s },
        { 'x-client-cert': encodeURIComponent(controllerCert(s).cert) },
        TRUSTED_PROXY,
      );
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ state: 'FACTORY_PROVISIONED', accountId: maker.id });
    });
  });

  describe('Assembly: re-provision by parent_serial, controller → AMR, MQTT + DDI + M2M', () => {
    it('should upgrade the controller, record capabilities, create the M2M client and issue full, fresh credentials', async () => {
      const { serial: controllerSerial, answer: enrolled } = await factory();
      const deviceId = String(enrolled.body['deviceId']);
      const factoryCredentials = credentialsOf(enrolled);
      const robotSerial = serial('AMR-X1');

      const answer = await h.enrollOverTls(
        {
          scenario: 'assembly',
          device_type: 'amr',
          parent_serial: controllerSerial,
          serial: robotSerial,
          model: 'X1',
          revision: 'r3',
          capabilities: ['navigation', 'picking', 'charging'],
          timezone: 'Asia/Tokyo',
        },
        controllerCert(controllerSerial),
      );

      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ deviceId, state: 'ASSEMBLED', accountId: maker.id });
      const credentials = credentialsOf(answer);
      expect(credentials.m2m).toEqual({
        clientId: deviceId,
        clientSecret: expect.any(String),
        tokenEndpoint: h.identity.tokenEndpoint(),
      });
      expect(await h.tokenEndpointStatus(deviceId, credentials.m2m!.clientSecret)).toBe(200);
      expect(await h.mqttConnect(credentials.mqtt.accessToken)).toBe('accepted');
      expect(await h.mqttConnect(factoryCredentials.mqtt.accessToken)).toBe('refused');
      expect(await h.fake.ddiStatus(deviceId, credentials.ddi.securityToken)).toBe(200);
      expect(await h.fake.ddiStatus(deviceId, factoryCredentials.ddi.securityToken)).toBe(401);
      await expect(h.registry.getDevice(deviceId)).resolves.toMatchObject({
        profile: 'amr',
        attributes: expect.objectContaining({
          type: 'amr',
          serial: robotSerial,
          capabilities: ['navigation', 'picking', 'charging'],
        }),
      });
      expect(h.fake.targets.get(deviceId)?.attributes).toMatchObject({
        type: 'amr',
        model: 'X1',
        revision: 'r3',
        serial: robotSerial,
        capabilities: ['navigation', 'picking', 'charging'],
        timezone: 'Asia/Tokyo',
        // The controller's firmware stays until an update reports another one.
        firmwareVersion: 'bootloader-1.0',
      });
      const device = await h.call('GET', `/provisioning/v1/devices/${deviceId}`, { token: makerToken });
      expect(device.body).toMatchObject({
        type: 'amr',
        serial: robotSerial,
        controllerSerial,
        capabilities: ['navigation', 'picking', 'charging'],
        hasM2mClient: true,
      });
      expect(await h.eventsOf(deviceId)).toEqual([
        'device.provisioned',
        'device.upgraded',
        'device.credentials_rotated',
      ]);
      expect(await h.payloadsOf(deviceId, 'device.upgraded')).toEqual([
        expect.objectContaining({ previousType: 'controller', state: 'ASSEMBLED', accountId: maker.id }),
      ]);
    });

    it('should refuse to assemble a controller that is not Factory Provisioned, naming its state', async () => {
      const { serial: controllerSerial } = await factory();
      const body = { scenario: 'assembly', device_type: 'amr', parent_serial: controllerSerial, serial: serial('AMR') };
      expect((await h.enrollOverTls(body, controllerCert(controllerSerial))).status).toBe(201);
      const again = await h.enrollOverTls({ ...body, serial: serial('AMR') }, controllerCert(controllerSerial));
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'DEVICE.ILLEGAL_TRANSITION', details: { currentState: 'ASSEMBLED' } });
    });
  });

  describe('Field (robot): claim token overrides the account, or mTLS; credentials rotated', () => {
    async function assembled() {
      const { serial: controllerSerial, answer } = await factory();
      const robotSerial = serial('AMR');
      const upgraded = await h.enrollOverTls(
        {
          scenario: 'assembly',
          device_type: 'amr',
          parent_serial: controllerSerial,
          serial: robotSerial,
          capabilities: ['navigation'],
        },
        controllerCert(controllerSerial),
      );
      expect(upgraded.status).toBe(201);
      return {
        deviceId: String(answer.body['deviceId']),
        robotSerial,
        cert: controllerCert(robotSerial),
        credentials: credentialsOf(upgraded),
      };
    }

    it('should move the robot to the claim token account with every credential rotated', async () => {
      const robot = await assembled();
      const [claim] = await claimTokens(customer.id, { deviceType: 'amr', priority: 'high' });

      const answer = await h.enrollOverTls(
        { scenario: 'field', device_type: 'amr', serial: robot.robotSerial, claim_token: claim },
        robot.cert,
      );

      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ deviceId: robot.deviceId, state: 'FIELD_ACTIVE', accountId: customer.id });
      const fresh = credentialsOf(answer);
      expect(await h.mqttConnect(robot.credentials.mqtt.accessToken)).toBe('refused');
      expect(await h.mqttConnect(fresh.mqtt.accessToken)).toBe('accepted');
      expect(await h.fake.ddiStatus(robot.deviceId, robot.credentials.ddi.securityToken)).toBe(401);
      expect(await h.fake.ddiStatus(robot.deviceId, fresh.ddi.securityToken)).toBe(200);
      expect(await h.tokenEndpointStatus(robot.deviceId, robot.credentials.m2m!.clientSecret)).toBe(401);
      expect(await h.tokenEndpointStatus(robot.deviceId, fresh.m2m!.clientSecret)).toBe(200);
      await expect(h.identity.getClient(robot.deviceId)).resolves.toMatchObject({ accountId: customer.id });
      expect(h.fake.targets.get(robot.deviceId)?.accountId).toBe(customer.id);
      await expect(h.registry.getDevice(robot.deviceId)).resolves.toMatchObject({ accountId: customer.id });
      expect(await h.eventsOf(robot.deviceId)).toEqual(
        expect.arrayContaining(['device.transferred', 'telemetry.transfer.completed', 'device.credentials_rotated']),
      );
      const seenByCustomer = await h.call('GET', `/provisioning/v1/devices/${robot.deviceId}`, {
        token: await h.tokenOf(customer.id),
      });
      expect(seenByCustomer.body).toMatchObject({
        state: 'FIELD_ACTIVE',
        priority: 'high',
        identityMethod: 'mtls+claim_token',
      });
    });

    it("should keep the robot's time zone when a re-provisioning names none (not reset it to UTC)", async () => {
      const { serial: controllerSerial } = await factory();
      const robotSerial = serial('AMR');
      const assembledInTokyo = await h.enrollOverTls(
        {
          scenario: 'assembly',
          device_type: 'amr',
          parent_serial: controllerSerial,
          serial: robotSerial,
          timezone: 'Asia/Tokyo',
        },
        controllerCert(controllerSerial),
      );
      expect(assembledInTokyo.status).toBe(201);
      const deviceId = String(assembledInTokyo.body['deviceId']);

      // Its maintenance window is Tokyo's: a field activation without a zone must not move it.
      const activated = await h.enrollOverTls(
        { scenario: 'field', device_type: 'amr', serial: robotSerial },
        controllerCert(robotSerial),
      );

      expect(activated.status).toBe(201);
      expect(h.fake.targets.get(deviceId)?.attributes).toMatchObject({ timezone: 'Asia/Tokyo' });
      const device = await h.call('GET', `/provisioning/v1/devices/${deviceId}`, { token: makerToken });
      expect(device.body['timezone']).toBe('Asia/Tokyo');
    });

    it('should activate the robot in its current account with mTLS alone, rotating its credentials', async () => {
      const robot = await assembled();
      const answer = await h.enrollOverTls(
        { scenario: 'field', device_type: 'amr', serial: robot.robotSerial },
        robot.cert,
      );
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ state: 'FIELD_ACTIVE', accountId: maker.id });
      expect(credentialsOf(answer).m2m).toBeDefined();
      expect(await h.mqttConnect(robot.credentials.mqtt.accessToken)).toBe('refused');
    });
  });

  describe('Field (PDA / tablet): claim token + serial, MQTT + DDI + M2M', () => {
    it.each(['pda', 'tablet'])('should enroll a %s into the customer account', async (deviceType) => {
      const [claim] = await claimTokens(customer.id, { deviceType });
      const answer = await h.enrollOverHttp({
        scenario: 'field',
        claim_token: claim,
        device_type: deviceType,
        serial: serial('PDA'),
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ state: 'FIELD_ACTIVE', accountId: customer.id });
      const credentials = credentialsOf(answer);
      expect(credentials.m2m).toBeDefined();
      expect(await h.tokenEndpointStatus(credentials.m2m!.clientId, credentials.m2m!.clientSecret)).toBe(200);
      expect(await h.mqttConnect(credentials.mqtt.accessToken)).toBe('accepted');
      expect(await h.fake.ddiStatus(String(answer.body['deviceId']), credentials.ddi.securityToken)).toBe(200);
    });
  });

  describe('Field (sensor): pre-shared token, MQTT + DDI', () => {
    it('should enroll the sensor into the account the token was issued for, without an M2M client', async () => {
      const [token] = await claimTokens(customer.id, { deviceType: 'sensor', kind: 'pre_shared' });
      const answer = await h.enrollOverHttp({
        scenario: 'field',
        pre_shared_token: token,
        device_type: 'sensor',
        serial: serial('TEMP'),
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ state: 'FIELD_ACTIVE', accountId: customer.id });
      expect(credentialsOf(answer).m2m).toBeUndefined();
      await expect(h.identity.getClient(String(answer.body['deviceId']))).rejects.toMatchObject({
        code: 'IDENTITY.CLIENT_NOT_FOUND',
      });
    });

    it('should refuse a pre-shared token presented as a claim token', async () => {
      const [token] = await claimTokens(customer.id, { deviceType: 'sensor', kind: 'pre_shared' });
      const answer = await h.enrollOverHttp({
        scenario: 'field',
        claim_token: token,
        device_type: 'sensor',
        serial: serial('TEMP'),
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({
        code: 'ENROLLMENT.IDENTITY_REJECTED',
        details: { reason: 'token_kind_mismatch' },
      });
    });
  });

  describe('identity proof rejections (real TLS handshakes)', () => {
    const now = Date.now();
    it.each([
      {
        reason: 'unknown_ca',
        what: 'a device certificate from a look-alike CA under a rogue root',
        cert: (s: string) => h.pki.device(h.pki.subCa('syrius', { rogue: true }), { O: 'syrius', CN: s }),
      },
      {
        reason: 'certificate_expired',
        what: 'an expired certificate',
        cert: (s: string) =>
          h.pki.device(syriusCa, { O: 'syrius', CN: s }, { from: new Date(now - 10 * DAYS), to: new Date(now - DAYS) }),
      },
      {
        reason: 'certificate_not_yet_valid',
        what: 'a certificate not yet valid',
        cert: (s: string) =>
          h.pki.device(syriusCa, { O: 'syrius', CN: s }, { from: new Date(now + DAYS), to: new Date(now + 10 * DAYS) }),
      },
      {
        reason: 'serial_mismatch',
        what: "a certificate for another serial than the body's",
        cert: () => h.pki.device(syriusCa, { O: 'syrius', CN: 'SOMEONE-ELSE' }),
      },
      {
        reason: 'manufacturer_mismatch',
        what: "a certificate naming another manufacturer than its CA's",
        cert: (s: string) => h.pki.device(syriusCa, { O: 'robomake', CN: s }),
      },
    ])('should reject $what with reason $reason and a Rejected history entry', async ({ reason, cert }) => {
      const s = serial('CTRL');
      const answer = await h.enrollOverTls({ scenario: 'factory', device_type: 'controller', serial: s }, cert(s));

      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ code: 'ENROLLMENT.IDENTITY_REJECTED', details: { reason } });
      const deviceId = String((answer.body['details'] as Record<string, unknown>)['deviceId']);
      const record = await historyOf(deviceId, await h.adminToken());
      expect(record.state).toBe('REJECTED');
      expect(record.history).toEqual([
        expect.objectContaining({
          action: 'REJECTED',
          toState: 'REJECTED',
          details: expect.objectContaining({ reason }),
        }),
      ]);
      // Nothing was registered anywhere.
      await expect(h.registry.getDevice(deviceId)).rejects.toMatchObject({ code: 'DEVICE_REGISTRY.DEVICE_NOT_FOUND' });
      expect(h.fake.targets.has(deviceId)).toBe(false);
    });

    it('should reject a revoked manufacturer CA', async () => {
      const revokable = h.pki.subCa('revokable-maker');
      const owner = await h.account('maker');
      const registered = await h.registerCa(owner.id, revokable.pem);
      expect(registered.status).toBe(201);
      const revoked = await h.call('POST', `/provisioning/v1/manufacturer-cas/${registered.body['id']}/revoke`, {
        token: await h.tokenOf(owner.id),
        body: { reason: 'key compromised' },
      });
      expect(revoked.body).toMatchObject({ revoked: true, revokedReason: 'key compromised' });
      const s = serial('CTRL');
      const answer = await h.enrollOverTls(
        { scenario: 'factory', device_type: 'controller', serial: s },
        h.pki.device(revokable, { O: 'revokable-maker', CN: s }),
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ details: { reason: 'ca_revoked' } });
      // The manufacturer sees the attempt in its own account.
      const deviceId = String((answer.body['details'] as Record<string, unknown>)['deviceId']);
      expect((await historyOf(deviceId, await h.tokenOf(owner.id))).history[0]).toMatchObject({ action: 'REJECTED' });
    });

    it('should reject a factory enrollment without a client certificate', async () => {
      const answer = await h.enrollOverTls(
        { scenario: 'factory', device_type: 'controller', serial: serial('CTRL') },
        null,
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ details: { reason: 'no_client_certificate' } });
    });

    it('should ignore a forwarded certificate from an address that is not a trusted proxy', async () => {
      const s = serial('CTRL');
      const answer = await h.enrollOverHttp(
        { scenario: 'factory', device_type: 'controller', serial: s },
        { 'x-client-cert': encodeURIComponent(controllerCert(s).cert) },
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ details: { reason: 'untrusted_certificate_forwarder' } });
    });

    it('should record a failed proof against an existing device in its history without changing its state', async () => {
      const { serial: s, answer } = await factory();
      const deviceId = String(answer.body['deviceId']);
      const expired = h.pki.device(
        syriusCa,
        { O: 'syrius', CN: s },
        { from: new Date(now - 10 * DAYS), to: new Date(now - DAYS) },
      );
      const refused = await h.enrollOverTls({ scenario: 'field', device_type: 'controller', serial: s }, expired);
      expect(refused.body).toMatchObject({ details: { reason: 'certificate_expired', deviceId } });
      const record = await historyOf(deviceId);
      expect(record.state).toBe('FACTORY_PROVISIONED');
      expect(record.history.map((entry) => entry.action)).toEqual(['ENROLLED', 'REJECTED']);
    });
  });

  describe('manufacturer CAs', () => {
    it('should refuse a sub-CA that the platform root did not sign', async () => {
      const answer = await h.registerCa(maker.id, h.pki.subCa('syrius', { rogue: true }).pem);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ code: 'MANUFACTURER_CA.INVALID', details: { reason: 'not_signed_by_root' } });
    });

    it("should refuse to register another account's manufacturer", async () => {
      const other = await h.account('maker');
      const answer = await h.registerCa(other.id, h.pki.subCa('syrius').pem);
      expect(answer.status).toBe(409);
      expect(answer.body['code']).toBe('MANUFACTURER_CA.MANUFACTURER_TAKEN');
    });

    it("should sign a manufacturer's CSR with the root; its devices then enroll", async () => {
      const { generateKeyPairSync } = await import('node:crypto');
      const { createCsr } = await import('../src/lib/pki/x509.js');
      const owner = await h.account('maker');
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const signed = await h.call('POST', '/provisioning/v1/manufacturer-cas/csr', {
        token: await h.tokenOf(owner.id),
        body: { csrPem: createCsr({ O: 'csr-maker', CN: 'CSR Maker CA' }, keys.publicKey, keys.privateKey) },
      });
      expect(signed.status).toBe(201);
      const certificate = new X509Certificate(String(signed.body['certificatePem']));
      expect(certificate.verify(h.pki.root.certificate.publicKey)).toBe(true);
      const ca: TestCa = { keys, pem: certificate.toString(), certificate, keyPem: '' };
      const s = serial('CTRL');
      const answer = await h.enrollOverTls(
        { scenario: 'factory', device_type: 'controller', serial: s },
        h.pki.device(ca, { O: 'csr-maker', CN: s }),
      );
      expect(answer.status).toBe(201);
      expect(answer.body['accountId']).toBe(owner.id);
    });
  });

  describe('bad input', () => {
    it.each([
      [{ scenario: 'factory', device_type: 'controller' }, 'serial'],
      [{ scenario: 'assembly', device_type: 'amr', serial: 'X' }, 'parent_serial'],
      [{ scenario: 'factory', device_type: 'controller', serial: 'X', surprise: 1 }, ''],
      [{ scenario: 'field', device_type: 'pda', serial: 'X', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ scenario: 'orbit', device_type: 'pda', serial: 'X' }, 'scenario'],
    ])('should answer 400 naming the field for %j, and create nothing', async (body, field) => {
      const before = await h.prisma.provisioningDevice.count();
      const answer = await h.enrollOverHttp(body);
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body['details'])).toContain(`"path":"body${field ? `.${field}` : ''}`);
      expect(await h.prisma.provisioningDevice.count()).toBe(before);
    });
  });
});
