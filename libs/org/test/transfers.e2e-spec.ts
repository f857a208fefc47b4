import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OrgModule, orgConfigSchema } from '@flexgalaxy/org';
import {
  DRIVERS,
  openTestDatabase,
  startServiceHarness,
  type ServiceHarness,
  type TestDatabase,
} from '@flexgalaxy/testing';

interface SeenCall {
  deviceId: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: Record<string, unknown>;
}

/**
 * Provisioning's transfer endpoint as an HTTP fake: the façade's contract with it is the public
 * API (POST /provisioning/v1/devices/{id}/transfer). The device id's prefix decides the answer.
 */
class ProvisioningTransferFake {
  readonly calls: SeenCall[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private server: Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const deviceId = decodeURIComponent(request.url?.match(/devices\/([^/]+)\/transfer$/)?.[1] ?? '');
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        this.calls.push({
          deviceId,
          authorization: request.headers['authorization'],
          idempotencyKey: request.headers['idempotency-key'] as string | undefined,
          body,
        });
        this.inFlight += 1;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        setTimeout(() => {
          this.inFlight -= 1;
          const [status, answer] = this.answerFor(deviceId, String(body['targetAccountId']));
          response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        }, 30);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private answerFor(deviceId: string, target: string): [number, Record<string, unknown>] {
    if (deviceId.startsWith('ok-')) {
      return [
        200,
        {
          deviceId,
          state: 'FIELD_ACTIVE',
          accountId: target,
          previousAccountId: 'acct-japan',
          credentials: { mqtt: { accessToken: `mqtt-${deviceId}` } },
          telemetry: { moved: ['health', 'operational', 'alerts'], retained: ['task_logs', 'location', 'application'] },
        },
      ];
    }
    if (deviceId.startsWith('missing-'))
      return [404, { code: 'DEVICE.NOT_FOUND', message: 'device not found', details: { deviceId } }];
    if (deviceId.startsWith('suspended-')) {
      return [
        409,
        {
          code: 'DEVICE.ILLEGAL_TRANSITION',
          message: 'cannot transfer a device in state SUSPENDED',
          details: { currentState: 'SUSPENDED' },
        },
      ];
    }
    return [503, { code: 'PROVISIONING.BACKEND_FAILED', message: 'ota failed', details: { system: 'ota' } }];
  }
}

describe.each(DRIVERS)('DeviceAdmin batch transfer on %s (seed 000 §5 "Transfer Sequence")', (driver) => {
  let db: TestDatabase;
  let fake: ProvisioningTransferFake;
  let app: ServiceHarness;
  let token: string;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    fake = await new ProvisioningTransferFake().start();
    const config = orgConfigSchema({ defaultPort: 0 }).parse({ PROVISIONING_URL: fake.url, TRANSFER_CONCURRENCY: '3' });
    app = await startServiceHarness(db, { imports: [OrgModule.forRoot(config)] });
    token = await app.clientToken('acct-japan', ['devices.read', 'devices.write']);
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    await db?.close();
  });

  const transfer = (body: unknown, headers: Record<string, string> = {}, bearer: string | null = token) =>
    app.call('POST', '/deviceadmin/v1/transfers', bearer ?? null, body, headers);

  it('should report every device, answer 207 on partial failure, and forward the caller token', async () => {
    const deviceIds = ['ok-1', 'missing-2', 'ok-3', 'suspended-4', 'down-5', 'ok-6', 'ok-7'];
    const answer = await transfer({ deviceIds, targetAccountId: 'acct-warehouse-a' });

    expect(answer.status).toBe(207);
    expect(answer.body).toMatchObject({ targetAccountId: 'acct-warehouse-a', total: 7, succeeded: 4, failed: 3 });
    const results = answer.body['results'] as Record<string, unknown>[];
    expect(results.map((result) => [result['deviceId'], result['status'], result['httpStatus']])).toEqual([
      ['ok-1', 'transferred', 200],
      ['missing-2', 'failed', 404],
      ['ok-3', 'transferred', 200],
      ['suspended-4', 'failed', 409],
      ['down-5', 'failed', 503],
      ['ok-6', 'transferred', 200],
      ['ok-7', 'transferred', 200],
    ]);
    expect(results[0]).toMatchObject({
      accountId: 'acct-warehouse-a',
      previousAccountId: 'acct-japan',
      credentials: { mqtt: { accessToken: 'mqtt-ok-1' } },
    });
    expect(results[3]).toMatchObject({
      error: { code: 'DEVICE.ILLEGAL_TRANSITION', details: { currentState: 'SUSPENDED' } },
    });
    expect(results[4]).toMatchObject({ error: { code: 'PROVISIONING.BACKEND_FAILED', details: { system: 'ota' } } });
    const calls = fake.calls.filter((call) => deviceIds.includes(call.deviceId));
    expect(calls).toHaveLength(7);
    expect(calls.every((call) => call.authorization === `Bearer ${token}`)).toBe(true);
    // Bounded concurrency: several at once, never more than TRANSFER_CONCURRENCY.
    expect(fake.maxInFlight).toBeGreaterThan(1);
    expect(fake.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('should answer 200 when every device moved, passing the telemetry rule and a per-device idempotency key', async () => {
    const answer = await transfer(
      { deviceIds: ['ok-a', 'ok-b'], targetAccountId: 'acct-factory-b', applicationTelemetry: 'follow' },
      { 'idempotency-key': 'batch-42' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ total: 2, succeeded: 2, failed: 0 });
    const calls = fake.calls.filter((call) => call.deviceId === 'ok-a' || call.deviceId === 'ok-b');
    expect(calls.map((call) => call.idempotencyKey).sort()).toEqual(['batch-42:ok-a', 'batch-42:ok-b']);
    expect(calls[0]?.body).toEqual({ targetAccountId: 'acct-factory-b', applicationTelemetry: 'follow' });
  });

  it.each([
    [{ deviceIds: [], targetAccountId: 'x' }, 'body.deviceIds'],
    [{ deviceIds: ['ok-1', 'ok-1'], targetAccountId: 'x' }, 'body.deviceIds'],
    [{ deviceIds: ['ok-1'] }, 'body.targetAccountId'],
    [{ deviceIds: ['ok-1'], targetAccountId: 'x', extra: true }, 'body'],
  ])('should answer 400 for %j and call provisioning for nothing', async (body, path) => {
    const before = fake.calls.length;
    const answer = await transfer(body);
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body['details'])).toContain(`"path":"${path}`);
    expect(fake.calls.length).toBe(before);
  });

  it('should refuse callers without a token (401) or without devices.write (403)', async () => {
    const reader = await app.clientToken('acct-japan', ['devices.read']);
    expect((await transfer({ deviceIds: ['ok-1'], targetAccountId: 'x' }, {}, null)).status).toBe(401);
    expect((await transfer({ deviceIds: ['ok-1'], targetAccountId: 'x' }, {}, reader)).status).toBe(403);
  });
});
