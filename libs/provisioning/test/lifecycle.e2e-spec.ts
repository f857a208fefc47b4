import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { credentialsOf, ProvisioningHarness, type Credentials } from './provisioning.harness.js';
import type { TestCa } from './test-pki.js';

type Account = { id: string; path: string; orgRootId: string };

/**
 * Lifecycle (suspend, reactivate, decommission), transfers with real credential rotation and the
 * telemetry rules of seed 000 §5, claim tokens (single use under concurrency, expiry), idempotent
 * retries, and tenant isolation.
 */
describe.each(DRIVERS)('provisioning lifecycle and transfers on %s', (driver) => {
  let db: TestDatabase;
  let h: ProvisioningHarness;
  let maker: Account;
  let distributor: Account;
  let endUser: Account;
  let stranger: Account;
  let ca: TestCa;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    h = await ProvisioningHarness.start(db);
    maker = await h.account('maker');
    distributor = await h.account('member', maker);
    endUser = await h.account('end_user', distributor);
    stranger = await h.account('maker');
    ca = h.pki.subCa('robomake');
    expect((await h.registerCa(maker.id, ca.pem)).status).toBe(201);
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  let counter = 0;
  const serial = (prefix: string) => `${prefix}-${driver}-${Date.now()}-${++counter}`;

  /** A robot through factory and assembly: ASSEMBLED in the maker's account, with an M2M client. */
  async function robot(): Promise<{ deviceId: string; serial: string; credentials: Credentials }> {
    const controller = serial('CTRL');
    const cert = h.pki.device(ca, { O: 'robomake', CN: controller });
    const factory = await h.enrollOverTls({ scenario: 'factory', device_type: 'controller', serial: controller }, cert);
    expect(factory.status).toBe(201);
    const amr = serial('AMR');
    const assembled = await h.enrollOverTls(
      { scenario: 'assembly', device_type: 'amr', parent_serial: controller, serial: amr, model: 'X1', revision: 'r3' },
      cert,
    );
    expect(assembled.status).toBe(201);
    return { deviceId: String(factory.body['deviceId']), serial: amr, credentials: credentialsOf(assembled) };
  }

  /** A field-active PDA in `account`. */
  async function pda(account: Account): Promise<{ deviceId: string; credentials: Credentials }> {
    const token = await claimToken(account, 'pda');
    const answer = await h.enrollOverHttp({
      scenario: 'field',
      claim_token: token,
      device_type: 'pda',
      serial: serial('PDA'),
    });
    expect(answer.status).toBe(201);
    return { deviceId: String(answer.body['deviceId']), credentials: credentialsOf(answer) };
  }

  async function claimToken(
    account: Account,
    deviceType: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const created = await h.call('POST', '/provisioning/v1/claim-tokens', {
      token: await h.tokenOf(account.id),
      body: { accountId: account.id, deviceType, ...extra },
    });
    expect(created.status).toBe(201);
    return (created.body['tokens'] as { token: string }[])[0]!.token;
  }

  const transfer = async (
    deviceId: string,
    target: string,
    as: Account = maker,
    body: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ) =>
    h.call('POST', `/provisioning/v1/devices/${deviceId}/transfer`, {
      token: await h.tokenOf(as.id),
      body: { targetAccountId: target, ...body },
      ...(headers ? { headers } : {}),
    });

  describe('transfer (seed 000 §5)', () => {
    it('should move the device, rotate every credential (old ones refused at once) and update the target', async () => {
      const device = await robot();
      const old = device.credentials;
      expect(await h.mqttConnect(old.mqtt.accessToken)).toBe('accepted');

      const answer = await transfer(device.deviceId, distributor.id, maker, { reason: 'sold to distributor' });

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        deviceId: device.deviceId,
        state: 'ASSEMBLED',
        accountId: distributor.id,
        previousAccountId: maker.id,
      });
      const fresh = credentialsOf(answer);
      // MQTT: refused at CONNECT by the embedded broker.
      expect(await h.mqttConnect(old.mqtt.accessToken)).toBe('refused');
      expect(await h.mqttConnect(fresh.mqtt.accessToken)).toBe('accepted');
      // DDI: refused by OTA Forge's DDI endpoint.
      expect(await h.fake.ddiStatus(device.deviceId, old.ddi.securityToken)).toBe(401);
      expect(await h.fake.ddiStatus(device.deviceId, fresh.ddi.securityToken)).toBe(200);
      // M2M: the old secret is refused at the token endpoint.
      expect(await h.tokenEndpointStatus(device.deviceId, old.m2m!.clientSecret)).toBe(401);
      expect(await h.tokenEndpointStatus(device.deviceId, fresh.m2m!.clientSecret)).toBe(200);
      expect(fresh.ddi).toMatchObject({ baseUrl: old.ddi.baseUrl, tenant: 'DEFAULT' });
      expect(h.fake.targets.get(device.deviceId)).toMatchObject({
        accountId: distributor.id,
        attributes: { manufacturer: 'robomake', model: 'X1' },
      });
      await expect(h.registry.getDevice(device.deviceId)).resolves.toMatchObject({ accountId: distributor.id });
      await expect(h.identity.getClient(device.deviceId)).resolves.toMatchObject({ accountId: distributor.id });
      expect(await h.payloadsOf(device.deviceId, 'device.transferred')).toEqual([
        expect.objectContaining({ fromAccountId: maker.id, toAccountId: distributor.id, state: 'ASSEMBLED' }),
      ]);
      const seen = await h.call('GET', `/provisioning/v1/devices/${device.deviceId}`, {
        token: await h.tokenOf(distributor.id),
      });
      expect((seen.body['history'] as { action: string; reason: string | null }[]).at(-1)).toMatchObject({
        action: 'TRANSFERRED',
        reason: 'sold to distributor',
      });
    });

    it('should move health, operational metrics and alerts with the device and keep task logs, location and app telemetry', async () => {
      const device = await pda(maker);
      await h.publishTelemetry(device.credentials.mqtt.accessToken, {
        battery: 77,
        motor_hours: 12,
        error_count: 1,
        health_cpu: 'ok',
        alert_low_battery: true,
        task: 'executing',
        position: { x: 3, y: 4 },
        navsoft_map_version: 'v7',
      });

      const answer = await transfer(device.deviceId, distributor.id);

      expect(answer.status).toBe(200);
      expect(answer.body['telemetry']).toEqual({
        moved: ['health', 'operational', 'alerts'],
        retained: ['task_logs', 'location', 'application'],
      });
      const registry = h.embeddedRegistry;
      expect(await registry.telemetryHistorySummary(device.deviceId, distributor.id)).toEqual({
        operational: 3,
        health: 1,
        alerts: 1,
      });
      expect(await registry.telemetryHistorySummary(device.deviceId, maker.id)).toEqual({
        task_logs: 1,
        location: 1,
        application: 1,
      });
      expect(await h.payloadsOf(device.deviceId, 'telemetry.transfer.completed')).toEqual([
        {
          deviceId: device.deviceId,
          fromAccountId: maker.id,
          toAccountId: distributor.id,
          moved: ['health', 'operational', 'alerts'],
          retained: ['task_logs', 'location', 'application'],
        },
      ]);
      // The latest battery level and task state stay queryable (DeviceAdmin runtime state).
      await expect(h.registry.getLatestTelemetry(device.deviceId)).resolves.toMatchObject({
        battery: { value: 77 },
        task: { value: 'executing' },
      });
    });

    it('should let application telemetry follow the device when the transfer asks for it', async () => {
      const device = await pda(maker);
      await h.publishTelemetry(device.credentials.mqtt.accessToken, { navsoft_map_version: 'v7', task: 'idle' });
      const answer = await transfer(device.deviceId, distributor.id, maker, { applicationTelemetry: 'follow' });
      expect(answer.body['telemetry']).toEqual({
        moved: ['health', 'operational', 'alerts', 'application'],
        retained: ['task_logs', 'location'],
      });
      expect(await h.embeddedRegistry.telemetryHistorySummary(device.deviceId, distributor.id)).toEqual({
        application: 1,
      });
    });

    it('should let only the owner transfer: a stranger gets 404, the read-only parent 403, nothing changes', async () => {
      const device = await pda(distributor);
      const byStranger = await transfer(device.deviceId, stranger.id, stranger);
      const missing = await transfer('no-such-device', stranger.id, stranger);
      expect(byStranger.status).toBe(404);
      expect({ ...byStranger.body, requestId: undefined }).toEqual({
        ...missing.body,
        requestId: undefined,
        details: { deviceId: device.deviceId },
      });
      const byParent = await transfer(device.deviceId, maker.id, maker);
      expect(byParent.status).toBe(403);
      expect(byParent.body['code']).toBe('DEVICE.READ_ONLY');
      await expect(h.registry.getDevice(device.deviceId)).resolves.toMatchObject({ accountId: distributor.id });
      expect(await h.mqttConnect(device.credentials.mqtt.accessToken)).toBe('accepted');
    });

    it.each([
      {
        what: 'an unknown target account',
        body: { targetAccountId: 'no-such-account' },
        status: 404,
        code: 'ACCOUNT.NOT_FOUND',
      },
      {
        what: 'the current owner as target',
        body: { targetAccountId: '<owner>' },
        status: 400,
        code: 'TRANSFER.SAME_ACCOUNT',
      },
      { what: 'an unknown field', body: { targetAccountId: 'x', extra: 1 }, status: 400, code: 'REQUEST.INVALID' },
      { what: 'a missing target', body: {}, status: 400, code: 'REQUEST.INVALID' },
    ])('should refuse $what with $status and change nothing', async ({ body, status, code }) => {
      const device = await pda(maker);
      const payload = { ...body, ...(body.targetAccountId === '<owner>' ? { targetAccountId: maker.id } : {}) };
      const answer = await h.call('POST', `/provisioning/v1/devices/${device.deviceId}/transfer`, {
        token: await h.tokenOf(maker.id),
        body: payload,
      });
      expect(answer.status).toBe(status);
      expect(answer.body['code']).toBe(code);
      expect(await h.mqttConnect(device.credentials.mqtt.accessToken)).toBe('accepted');
      expect(await h.eventsOf(device.deviceId)).toEqual(['device.provisioned']);
    });

    it('should replay the first result for a retried Idempotency-Key and refuse the key with another body', async () => {
      const device = await pda(maker);
      const first = await transfer(
        device.deviceId,
        distributor.id,
        maker,
        {},
        { 'idempotency-key': `t-${device.deviceId}` },
      );
      const retry = await transfer(
        device.deviceId,
        distributor.id,
        maker,
        {},
        { 'idempotency-key': `t-${device.deviceId}` },
      );
      expect(first.status).toBe(200);
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual(first.body);
      expect((await h.eventsOf(device.deviceId)).filter((type) => type === 'device.transferred')).toHaveLength(1);
      const reused = await transfer(
        device.deviceId,
        endUser.id,
        maker,
        {},
        { 'idempotency-key': `t-${device.deviceId}` },
      );
      expect(reused.status).toBe(409);
      expect(reused.body['code']).toBe('IDEMPOTENCY.KEY_REUSED');
    });
  });

  describe('suspend / reactivate / decommission', () => {
    it('should disable every credential on suspension and restore the same ones on reactivation', async () => {
      const device = await pda(maker);
      const { credentials } = device;
      const token = await h.tokenOf(maker.id);

      const suspended = await h.call('POST', `/provisioning/v1/devices/${device.deviceId}/suspend`, {
        token,
        body: { reason: 'lease expired' },
      });
      expect(suspended).toMatchObject({ status: 200, body: { state: 'SUSPENDED' } });
      expect(await h.mqttConnect(credentials.mqtt.accessToken)).toBe('refused');
      expect(await h.fake.ddiStatus(device.deviceId, credentials.ddi.securityToken)).toBe(401);
      await expect(h.identity.getClient(device.deviceId)).resolves.toMatchObject({
        enabled: false,
        permissions: ['devices.read'],
      });
      expect(await h.tokenEndpointStatus(device.deviceId, credentials.m2m!.clientSecret)).toBe(401);

      const reactivated = await h.call('POST', `/provisioning/v1/devices/${device.deviceId}/reactivate`, { token });
      expect(reactivated).toMatchObject({ status: 200, body: { state: 'FIELD_ACTIVE' } });
      expect(await h.mqttConnect(credentials.mqtt.accessToken)).toBe('accepted');
      expect(await h.fake.ddiStatus(device.deviceId, credentials.ddi.securityToken)).toBe(200);
      await expect(h.identity.getClient(device.deviceId)).resolves.toMatchObject({
        enabled: true,
        permissions: ['devices.read'],
      });
      expect(await h.tokenEndpointStatus(device.deviceId, credentials.m2m!.clientSecret)).toBe(200);
      expect(await h.eventsOf(device.deviceId)).toEqual([
        'device.provisioned',
        'device.suspended',
        'device.reactivated',
      ]);
    });

    it.each([
      { command: 'suspend', state: 'ASSEMBLED' },
      { command: 'reactivate', state: 'ASSEMBLED' },
    ])('should refuse to $command a device in state $state with 409 naming it', async ({ command, state }) => {
      const device = await robot();
      const answer = await h.call('POST', `/provisioning/v1/devices/${device.deviceId}/${command}`, {
        token: await h.tokenOf(maker.id),
      });
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ code: 'DEVICE.ILLEGAL_TRANSITION', details: { currentState: state } });
      expect(await h.mqttConnect(device.credentials.mqtt.accessToken)).toBe('accepted');
    });

    it('should decommission: credentials revoked, target and client gone, telemetry archived, event emitted', async () => {
      const device = await pda(maker);
      await h.publishTelemetry(device.credentials.mqtt.accessToken, { battery: 50, task: 'idle' });
      const token = await h.tokenOf(maker.id);

      const answer = await h.call('DELETE', `/provisioning/v1/devices/${device.deviceId}`, { token });

      expect(answer).toMatchObject({ status: 200, body: { state: 'DECOMMISSIONED' } });
      expect(await h.mqttConnect(device.credentials.mqtt.accessToken)).toBe('refused');
      await expect(h.registry.getDevice(device.deviceId)).rejects.toMatchObject({
        code: 'DEVICE_REGISTRY.DEVICE_NOT_FOUND',
      });
      expect(h.fake.targets.has(device.deviceId)).toBe(false);
      await expect(h.identity.getClient(device.deviceId)).rejects.toMatchObject({ code: 'IDENTITY.CLIENT_NOT_FOUND' });
      expect(await h.tokenEndpointStatus(device.deviceId, device.credentials.m2m!.clientSecret)).toBe(401);
      expect(
        await h.prisma.registryTelemetryHistory.count({
          where: { deviceId: device.deviceId, archivedAt: { not: null } },
        }),
      ).toBe(2);
      expect((await h.eventsOf(device.deviceId)).at(-1)).toBe('device.decommissioned');
      const again = await transfer(device.deviceId, distributor.id);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ details: { currentState: 'DECOMMISSIONED' } });
    });
  });

  describe('rotate-credentials', () => {
    it('should rotate MQTT, DDI and M2M and emit device.credentials_rotated', async () => {
      const device = await robot();
      const answer = await h.call('POST', `/provisioning/v1/devices/${device.deviceId}/rotate-credentials`, {
        token: await h.tokenOf(maker.id),
      });
      expect(answer.status).toBe(200);
      const fresh = credentialsOf(answer);
      expect(await h.mqttConnect(device.credentials.mqtt.accessToken)).toBe('refused');
      expect(await h.mqttConnect(fresh.mqtt.accessToken)).toBe('accepted');
      expect(await h.fake.ddiStatus(device.deviceId, device.credentials.ddi.securityToken)).toBe(401);
      expect(await h.tokenEndpointStatus(device.deviceId, fresh.m2m!.clientSecret)).toBe(200);
      expect((await h.eventsOf(device.deviceId)).at(-1)).toBe('device.credentials_rotated');
    });
  });

  describe('claim tokens', () => {
    it('should let exactly one of 50 concurrent enrollments with one token succeed; the 49 others get 409', async () => {
      const token = await claimToken(maker, 'pda');
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          h.enrollOverHttp({ scenario: 'field', claim_token: token, device_type: 'pda', serial: serial(`RACE${i}`) }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      const devices = await h.prisma.provisioningDevice.count({
        where: { serial: { startsWith: 'RACE' }, state: 'FIELD_ACTIVE', accountId: maker.id },
      });
      expect(devices).toBe(1);
    });

    it('should answer an expired token with 410 and its reason', async () => {
      const token = await claimToken(maker, 'pda', { expiresInSeconds: 60 });
      await h.prisma.claimToken.updateMany({
        where: { accountId: maker.id, usedAt: null },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const answer = await h.enrollOverHttp({
        scenario: 'field',
        claim_token: token,
        device_type: 'pda',
        serial: serial('PDA'),
      });
      expect(answer.status).toBe(410);
      expect(answer.body).toMatchObject({ code: 'CLAIM_TOKEN.EXPIRED', details: { reason: 'expired' } });
    });

    it('should show tokens once and list only unused ones, without the token itself; other accounts get 404', async () => {
      const owner = await h.account('end_user', distributor);
      const created = await h.call('POST', '/provisioning/v1/claim-tokens', {
        token: await h.tokenOf(owner.id),
        body: { accountId: owner.id, deviceType: 'tablet', priority: 'high', count: 3 },
      });
      expect(created.status).toBe(201);
      const tokens = created.body['tokens'] as { token: string; priority: string }[];
      expect(tokens).toHaveLength(3);
      expect(new Set(tokens.map((t) => t.token)).size).toBe(3);
      const stored = await h.prisma.claimToken.findMany({ where: { accountId: owner.id } });
      expect(JSON.stringify(stored)).not.toContain(tokens[0]!.token);
      const used = await h.enrollOverHttp({
        scenario: 'field',
        claim_token: tokens[0]!.token,
        device_type: 'tablet',
        serial: serial('TAB'),
      });
      expect(used.status).toBe(201);

      const list = await h.call('GET', `/provisioning/v1/claim-tokens?account=${owner.id}`, {
        token: await h.tokenOf(owner.id),
      });
      expect(list.status).toBe(200);
      const items = list.body['items'] as Record<string, unknown>[];
      expect(items).toHaveLength(2);
      expect(
        items.every(
          (item) => item['token'] === undefined && item['priority'] === 'high' && item['deviceType'] === 'tablet',
        ),
      ).toBe(true);
      const foreign = await h.call('GET', `/provisioning/v1/claim-tokens?account=${owner.id}`, {
        token: await h.tokenOf(stranger.id),
      });
      expect(foreign.status).toBe(404);
      const reused = await h.enrollOverHttp({
        scenario: 'field',
        claim_token: tokens[0]!.token,
        device_type: 'tablet',
        serial: serial('TAB'),
      });
      expect(reused.status).toBe(409);
      expect(reused.body['code']).toBe('CLAIM_TOKEN.ALREADY_USED');
    });

    it('should refuse a token for another device type with 400', async () => {
      const token = await claimToken(maker, 'tablet');
      const answer = await h.enrollOverHttp({
        scenario: 'field',
        claim_token: token,
        device_type: 'pda',
        serial: serial('PDA'),
      });
      expect(answer.status).toBe(400);
      expect(answer.body['code']).toBe('CLAIM_TOKEN.DEVICE_TYPE_MISMATCH');
    });
  });

  describe('idempotent enrollment', () => {
    it('should return the first result for a retried Idempotency-Key, and refuse the key with another body', async () => {
      const token = await claimToken(maker, 'pda');
      const body = { scenario: 'field', claim_token: token, device_type: 'pda', serial: serial('PDA') };
      const key = { 'idempotency-key': `enroll-${body.serial}` };
      const first = await h.enrollOverHttp(body, key);
      const retry = await h.enrollOverHttp(body, key);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      const other = await h.enrollOverHttp({ ...body, serial: serial('PDA') }, key);
      expect(other.status).toBe(409);
      expect(other.body['code']).toBe('IDEMPOTENCY.KEY_REUSED');
      // Secrets are kept encrypted for the replay, never in clear.
      const record = await h.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: key['idempotency-key'] } });
      expect(record.responseCipher).not.toContain(credentialsOf(first).mqtt.accessToken);
    });
  });

  describe('tenant isolation', () => {
    it("should answer 404 for another tenant's device exactly as for a missing one, and let the parent read", async () => {
      const device = await pda(endUser);
      const foreign = await h.call('GET', `/provisioning/v1/devices/${device.deviceId}`, {
        token: await h.tokenOf(stranger.id),
      });
      const missing = await h.call('GET', '/provisioning/v1/devices/nope', { token: await h.tokenOf(stranger.id) });
      expect(foreign.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(foreign.body['code']).toBe(missing.body['code']);
      const parent = await h.call('GET', `/provisioning/v1/devices/${device.deviceId}`, {
        token: await h.tokenOf(distributor.id),
      });
      expect(parent.body).toMatchObject({ readOnly: true, accountId: endUser.id });
      const suspendByStranger = await h.call('POST', `/provisioning/v1/devices/${device.deviceId}/suspend`, {
        token: await h.tokenOf(stranger.id),
      });
      expect(suspendByStranger.status).toBe(404);
      expect(await h.mqttConnect(device.credentials.mqtt.accessToken)).toBe('accepted');
    });
  });

  describe('performance', () => {
    it('should answer the enrollment lookups from indexes (no scans)', async () => {
      const plans = await db.connection.sql.transaction(async (tx) => {
        await tx.exec('SET LOCAL enable_seqscan = off');
        const plan = async (sql: string, params: unknown[]) =>
          (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params))
            .map((row) => row['QUERY PLAN'])
            .join('\n');
        return [
          await plan(
            `SELECT id FROM "provisioning"."devices" WHERE manufacturer = $1 AND serial = $2 AND state NOT IN ('REJECTED','DECOMMISSIONED','UNMANAGED')`,
            ['m', 's'],
          ),
          await plan(`SELECT id FROM "provisioning"."claim_tokens" WHERE token_hash = $1`, ['0'.repeat(64)]),
          await plan(`SELECT id FROM "provisioning"."manufacturer_cas" WHERE subject = $1`, ['O=x']),
        ];
      });
      expect(plans[0]).toMatch(/devices_live_serial_key|devices_manufacturer_serial_idx/);
      expect(plans[1]).toContain('claim_tokens_token_hash_key');
      expect(plans[2]).toContain('manufacturer_cas_subject_idx');
    });
  });
});
