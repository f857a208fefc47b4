import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePortRun } from './free-port.js';
import { infraEnv } from './infra-env.js';
import { TEST_POSTGRES_ADMIN_URL } from './test-database.js';
import { waitFor } from './wait-for.js';

/** The real servers' settings handed to the launcher (the shared `.infra/env`, minus nothing). */
const INFRA_VARIABLES = [
  'KAFKA_BROKERS',
  'KEYCLOAK_URL',
  'KEYCLOAK_REALM',
  'KEYCLOAK_ADMIN_USER',
  'KEYCLOAK_ADMIN_PASSWORD',
  'KEYCLOAK_TEST_CLIENT_ID',
  'KEYCLOAK_TEST_CLIENT_SECRET',
  'OIDC_ISSUER_URL_KEYCLOAK',
  'HAWKBIT_URL',
  'HAWKBIT_TENANT',
  'HAWKBIT_USER',
  'HAWKBIT_PASSWORD',
];

const DATABASES = ['org', 'provisioning', 'ota_forge', 'trust_mint', 'marketplace', 'registry'];

export interface AdminCredentials {
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
}

export interface DistributedPlatform {
  /** PROVISIONING_URL, OTA_FORGE_URL, TRUST_MINT_URL, MARKETPLACE_URL, ORG_URL from apps.env. */
  urls: Record<string, string>;
  /** The databases' prefix (`<prefix>_<service>` on `postgresUrl`), also the Kafka namespace. */
  prefix: string;
  /** The platform admin: Keycloak's realm admin client, or the org app's bootstrap admin. */
  admin: AdminCredentials;
  deviceTlsPort: number;
  mqttPort: number;
  /** What the launcher and the five apps printed so far. */
  output(): string;
  /** Ctrl-C to the launcher, then drops the five databases and the scratch folder. */
  stop(): Promise<void>;
}

/**
 * `npm run start:distributed` as a user runs it — five processes, five PostgreSQL databases, the
 * real Kafka broker (Keycloak and hawkBit when `.infra/env` names them) — on private ports and
 * databases, for tests. `env` reaches every app (e.g. DDI_POLLING_SLEEP).
 */
export async function startDistributedPlatform(
  env: Record<string, string> = {},
  postgresUrl: string = TEST_POSTGRES_ADMIN_URL,
): Promise<DistributedPlatform> {
  const prefix = `fgd_${randomBytes(3).toString('hex')}`;
  const scratch = mkdtempSync(join(tmpdir(), 'fg-distributed-'));
  const infra = infraEnv();
  const infraFile = join(scratch, 'env');
  writeFileSync(
    infraFile,
    INFRA_VARIABLES.filter((name) => infra[name])
      .map((name) => `${name}=${infra[name]}`)
      .join('\n'),
  );
  // The five services on portBase + 0..4, then device TLS and MQTT.
  const portBase = await freePortRun(7);
  const deviceTlsPort = portBase + 5;
  const mqttPort = portBase + 6;
  let output = '';
  const launcher: ChildProcess = spawn(process.execPath, ['tools/distributed/start.mjs'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      ...env,
      NODE_OPTIONS: '',
      DEVICE_TLS_PORT: String(deviceTlsPort),
      DISTRIBUTED_INFRA_ENV: infraFile,
      DISTRIBUTED_DB_PREFIX: prefix,
      DISTRIBUTED_DATA_DIR: join(scratch, 'data'),
      DISTRIBUTED_PORT_BASE: String(portBase),
      DISTRIBUTED_MQTT_PORT: String(mqttPort),
      DISTRIBUTED_POSTGRES_URL: postgresUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const stop = async (): Promise<void> => {
    if (launcher.exitCode === null) {
      launcher.kill('SIGINT');
      await new Promise((resolve) => launcher.once('exit', resolve));
    }
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    for (const name of DATABASES) await admin.query(`DROP DATABASE IF EXISTS ${prefix}_${name} WITH (FORCE)`);
    await admin.end();
    rmSync(scratch, { recursive: true, force: true });
  };

  await waitFor(() => output.includes('all five up') || launcher.exitCode !== null, 180_000, 200);
  if (!output.includes('all five up')) {
    await stop();
    throw new Error(`launcher failed:\n${output}`);
  }
  const urls = Object.fromEntries(
    readFileSync(join(scratch, 'apps.env'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('=') as [string, string]),
  );
  const admin: AdminCredentials = infra['KEYCLOAK_URL']
    ? {
        tokenEndpoint: `${infra['OIDC_ISSUER_URL_KEYCLOAK']}/protocol/openid-connect/token`,
        clientId: infra['KEYCLOAK_TEST_CLIENT_ID']!,
        clientSecret: infra['KEYCLOAK_TEST_CLIENT_SECRET']!,
      }
    : (JSON.parse(readFileSync(join(scratch, 'data', 'org', 'bootstrap-admin.json'), 'utf8')) as AdminCredentials);
  return { urls, prefix, admin, deviceTlsPort, mqttPort, output: () => output, stop };
}
