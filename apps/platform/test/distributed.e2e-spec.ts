import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  freePort,
  infraEnv,
  POSTGRES_AVAILABLE,
  realServer,
  TEST_POSTGRES_ADMIN_URL,
  waitFor,
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
  const prefix = `fgd_${randomBytes(3).toString('hex')}`;
  let scratch: string;
  let launcher: ChildProcess;
  let output = '';
  let urls: Record<string, string>;
  let adminToken: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'fg-distributed-'));
    // The launcher reads the servers from an env file: the shared one's servers, minus nothing.
    const env = infraEnv();
    const infraFile = join(scratch, 'env');
    writeFileSync(
      infraFile,
      [
        'KAFKA_BROKERS',
        'KEYCLOAK_URL',
        'KEYCLOAK_REALM',
        'KEYCLOAK_ADMIN_USER',
        'KEYCLOAK_ADMIN_PASSWORD',
        'KEYCLOAK_TEST_CLIENT_ID',
        'KEYCLOAK_TEST_CLIENT_SECRET',
        'OIDC_ISSUER_URL_KEYCLOAK',
      ]
        .filter((name) => env[name])
        .map((name) => `${name}=${env[name]}`)
        .join('\n'),
    );
    const portBase = await freePort();
    launcher = spawn(process.execPath, ['tools/distributed/start.mjs'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        DISTRIBUTED_INFRA_ENV: infraFile,
        DISTRIBUTED_DB_PREFIX: prefix,
        DISTRIBUTED_DATA_DIR: join(scratch, 'data'),
        DISTRIBUTED_PORT_BASE: String(portBase < 60000 ? portBase : 40000),
        DISTRIBUTED_MQTT_PORT: String(await freePort()),
        DISTRIBUTED_POSTGRES_URL: TEST_POSTGRES_ADMIN_URL,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('all five up') || launcher.exitCode !== null, 120_000, 200);
    if (!output.includes('all five up')) throw new Error(`launcher failed:\n${output}`);
    urls = Object.fromEntries(
      readFileSync(join(scratch, 'apps.env'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split('=') as [string, string]),
    );
    adminToken = await adminTokenFor(env);
  }, 180_000);

  async function adminTokenFor(env: Record<string, string | undefined>): Promise<string> {
    const keycloak = env['KEYCLOAK_URL'];
    const [tokenEndpoint, clientId, clientSecret] = keycloak
      ? [
          `${env['OIDC_ISSUER_URL_KEYCLOAK']}/protocol/openid-connect/token`,
          env['KEYCLOAK_TEST_CLIENT_ID']!,
          env['KEYCLOAK_TEST_CLIENT_SECRET']!,
        ]
      : (() => {
          const file = JSON.parse(readFileSync(join(scratch, 'data', 'org', 'bootstrap-admin.json'), 'utf8')) as {
            tokenEndpoint: string;
            clientId: string;
            clientSecret: string;
          };
          return [file.tokenEndpoint, file.clientId, file.clientSecret];
        })();
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      launcher.kill('SIGINT');
      await new Promise((resolve) => launcher.once('exit', resolve));
    }
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
    await admin.connect();
    for (const name of ['org', 'provisioning', 'ota_forge', 'trust_mint', 'marketplace', 'registry']) {
      await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${name} WITH (FORCE)`);
    }
    await admin.end();
    rmSync(scratch, { recursive: true, force: true });
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
