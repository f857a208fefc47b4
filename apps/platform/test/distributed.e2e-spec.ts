import { randomBytes } from 'node:crypto';
import {
  clientCredentialsToken,
  POSTGRES_AVAILABLE,
  realServer,
  startDistributedPlatform,
  waitFor,
  type DistributedPlatform,
} from '@flexgalaxy/testing';

// `npm run start:distributed` as a user runs it: five processes, five databases, the real Kafka
// broker (and Keycloak when the launcher's env names it). Needs the real servers of `infra:up`.
const kafka = realServer(['KAFKA_BROKERS'], 'Kafka broker');
const describeDistributed = kafka && POSTGRES_AVAILABLE ? describe : describe.skip;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(url: string, method: string, token: string, body?: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describeDistributed('the distributed shape (five processes over Kafka)', () => {
  let platform: DistributedPlatform;
  let urls: Record<string, string>;
  let adminToken: string;
  const prefix = randomBytes(3).toString('hex');

  beforeAll(async () => {
    platform = await startDistributedPlatform();
    urls = platform.urls;
    const { tokenEndpoint, clientId, clientSecret } = platform.admin;
    adminToken = await clientCredentialsToken(tokenEndpoint, clientId, clientSecret);
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('should run each service as its own process with its own database, all healthy', async () => {
    expect(Object.keys(urls).sort()).toEqual([
      'MARKETPLACE_URL',
      'ORG_URL',
      'OTA_FORGE_URL',
      'PROVISIONING_URL',
      'TRUST_MINT_URL',
    ]);
    for (const url of Object.values(urls)) {
      await expect(fetch(`${url}/health`).then((response) => response.json())).resolves.toMatchObject({
        status: 'ok',
        database: 'postgres',
      });
    }
  });

  it('should carry events between the processes over Kafka: account → provisioning, enrollment → org and OTA Forge', async () => {
    const account = await call(`${urls['ORG_URL']}/org/v1/accounts`, 'POST', adminToken, {
      name: `Warehouse ${prefix}`,
      kind: 'end_user',
    });
    expect(account.status).toBe(201);
    const accountId = String(account.body['id']);

    // provisioning learns the account from org.account.created, through Kafka.
    const tokens = await waitFor(
      async () => {
        const answer = await call(`${urls['PROVISIONING_URL']}/provisioning/v1/claim-tokens`, 'POST', adminToken, {
          accountId,
          deviceType: 'pda',
          count: 1,
        });
        return answer.status === 201 ? answer : null;
      },
      30_000,
      250,
    );
    const claimToken = String((tokens!.body['tokens'] as { token: string }[])[0]!.token);

    const enrolled = await fetch(`${urls['PROVISIONING_URL']}/provisioning/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'field', device_type: 'pda', serial: `PDA-${prefix}`, claim_token: claimToken }),
    });
    expect(enrolled.status).toBe(201);
    const deviceId = String(((await enrolled.json()) as { deviceId: string }).deviceId);

    // org's DeviceAdmin projection gets device.provisioned through Kafka.
    await waitFor(
      async () =>
        (await call(`${urls['ORG_URL']}/deviceadmin/v1/devices/${deviceId}`, 'GET', adminToken)).status === 200,
      30_000,
      250,
    );
    // OTA Forge holds the target provisioning registered over HTTP.
    const target = await call(`${urls['OTA_FORGE_URL']}/ota/v1/targets/${deviceId}`, 'PATCH', adminToken, {
      enabled: true,
    });
    expect(target).toMatchObject({ status: 200, body: { controllerId: deviceId, accountId } });
  }, 120_000);
});
