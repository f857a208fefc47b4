import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  freePort,
  infraEnv,
  startAppProcess,
  startDistributedPlatform as startDistributed,
  TEST_POSTGRES_ADMIN_URL,
  type AdminCredentials,
} from '@flexgalaxy/testing';
import { Api, ClientCredentials } from '../../demo/story/index.js';

/** The machine's PostgreSQL (trust auth); every bench run gets fresh databases on it. */
export const BENCH_POSTGRES_URL = process.env['BENCH_POSTGRES_URL'] ?? TEST_POSTGRES_ADMIN_URL;

export type { AdminCredentials } from '@flexgalaxy/testing';

/** A running platform under test: where its APIs are, who administers it, its database. */
export interface PlatformUnderTest {
  mode: 'embedded' | 'distributed';
  /** Base URL of each API (all the same in embedded mode). */
  urls: { org: string; provisioning: string; otaForge: string };
  deviceTls: { host: string; port: number };
  mqtt: { host: string; port: number };
  admin: ClientCredentials;
  api(base?: string): Api;
  /** PID of the process whose memory is reported (the platform's; embedded only). */
  pid: number;
  /** A pool on the OTA Forge database (seeding is setup, never measured). */
  otaPool: pg.Pool;
  stop(): Promise<void>;
}

function databaseUrl(name: string): string {
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function readAdmin(file: string): AdminCredentials {
  return JSON.parse(readFileSync(file, 'utf8')) as AdminCredentials;
}

/**
 * `npm start` on a fresh PostgreSQL database and free ports: one process, every service, the
 * in-process relay, the embedded issuer and MQTT broker, the device TLS listener.
 */
export async function startEmbeddedPlatform(extraEnv: Record<string, string> = {}): Promise<PlatformUnderTest> {
  const database = `fg_bench_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const scratch = mkdtempSync(join(tmpdir(), 'fg-bench-'));
  const [port, mqttPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const cleanup = async () => {
    rmSync(scratch, { recursive: true, force: true });
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  };
  let app;
  try {
    app = await startAppProcess(
      'apps/platform/src/main.ts',
      {
        PORT: String(port),
        MQTT_PORT: String(mqttPort),
        DEVICE_TLS_PORT: String(tlsPort),
        DATABASE_URL: databaseUrl(database),
        PGLITE_DATA_DIR: join(scratch, 'pglite'),
        ARTIFACTS_DIR: join(scratch, 'artifacts'),
        PROVISIONING_KEY_FILE: join(scratch, 'encryption.key'),
        BOOTSTRAP_CREDENTIALS_FILE: join(scratch, 'bootstrap-admin.json'),
        KAFKA_BROKERS: '',
        KEYCLOAK_URL: '',
        THINGSBOARD_URL: '',
        HAWKBIT_URL: '',
        LOG_LEVEL: 'warn',
        ...extraEnv,
      },
      180_000,
      // BENCH_CPU_PROF=<dir>: the platform writes a V8 CPU profile there when it stops.
      process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : [],
    );
  } catch (error) {
    await cleanup();
    throw error;
  }
  const started = app;
  const credentials = readAdmin(join(scratch, 'bootstrap-admin.json'));
  const otaPool = new pg.Pool({ connectionString: databaseUrl(database), max: 4 });
  return {
    mode: 'embedded',
    urls: { org: started.url, provisioning: started.url, otaForge: started.url },
    deviceTls: { host: '127.0.0.1', port: tlsPort },
    mqtt: { host: '127.0.0.1', port: mqttPort },
    admin: new ClientCredentials(credentials.clientId, credentials.clientSecret, credentials.tokenEndpoint),
    api: (base = started.url) => new Api(base),
    pid: started.pid,
    otaPool,
    stop: async () => {
      await otaPool.end();
      await started.stop();
      await cleanup();
    },
  };
}

/** Smoke mode stays within CI's minutes: five processes over Kafka take longer than that to start. */
export const SMOKE_SKIPS_DISTRIBUTED =
  'not run in smoke mode (starting five processes over Kafka exceeds the smoke budget); the full run measures it';

/** Why the distributed shape cannot run here, or null when Kafka is configured. */
export function distributedUnavailable(): string | null {
  return infraEnv()['KAFKA_BROKERS'] ? null : 'Kafka not running (no KAFKA_BROKERS in .infra/env; `npm run infra:up`)';
}

/**
 * `npm run start:distributed`: five processes, a PostgreSQL database each, real Kafka between them
 * (and Keycloak when .infra/env names it), on free ports and fresh databases.
 */
export async function startDistributedPlatform(): Promise<PlatformUnderTest> {
  const platform = await startDistributed({ LOG_LEVEL: 'warn' }, BENCH_POSTGRES_URL);
  const { urls, prefix, admin: credentials } = platform;
  const tlsPort = platform.deviceTlsPort;
  const mqttPort = platform.mqttPort;
  const stop = platform.stop;
  const otaPool = new pg.Pool({ connectionString: databaseUrl(`${prefix}_ota_forge`), max: 4 });
  return {
    mode: 'distributed',
    urls: { org: urls['ORG_URL']!, provisioning: urls['PROVISIONING_URL']!, otaForge: urls['OTA_FORGE_URL']! },
    deviceTls: { host: '127.0.0.1', port: tlsPort },
    mqtt: { host: '127.0.0.1', port: mqttPort },
    admin: new ClientCredentials(credentials.clientId, credentials.clientSecret, credentials.tokenEndpoint),
    api: (base = urls['ORG_URL']!) => new Api(base),
    pid: 0,
    otaPool,
    stop: async () => {
      await otaPool.end();
      await stop();
    },
  };
}

/** Resident set size of a process, in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
