#!/usr/bin/env node
// `npm run start:distributed`: the five services as five processes, each on its own PostgreSQL
// database, talking over the real Kafka broker that `npm run infra:up` started (its .infra/env).
//
// Identity: Keycloak when .infra/env names it, otherwise the org app's embedded issuer, which the
// other four trust. The embedded device registry (ThingsBoard's stand-in) is one shared database;
// provisioning runs its MQTT broker. Each app's URL goes to .infra/apps.env. Ctrl-C stops all.
//
// Environment (optional): DISTRIBUTED_POSTGRES_URL (admin URL, default
// postgresql://postgres@127.0.0.1:5432/postgres), DISTRIBUTED_DB_PREFIX (default flexgalaxy),
// DISTRIBUTED_DATA_DIR (default .data/distributed), DISTRIBUTED_PORT_BASE (default 8081),
// DISTRIBUTED_MQTT_PORT (default 18830), DISTRIBUTED_INFRA_ENV (default .infra/env).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const pg = require('pg');

const SERVICES = ['org', 'provisioning', 'ota-forge', 'trust-mint', 'marketplace'];
const URL_VARIABLE = {
  org: 'ORG_URL',
  provisioning: 'PROVISIONING_URL',
  'ota-forge': 'OTA_FORGE_URL',
  'trust-mint': 'TRUST_MINT_URL',
  marketplace: 'MARKETPLACE_URL',
};

const adminUrl = process.env.DISTRIBUTED_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const dbPrefix = process.env.DISTRIBUTED_DB_PREFIX ?? 'flexgalaxy';
const dataDir = path.resolve(ROOT, process.env.DISTRIBUTED_DATA_DIR ?? '.data/distributed');
const portBase = Number(process.env.DISTRIBUTED_PORT_BASE ?? 8081);
const mqttPort = Number(process.env.DISTRIBUTED_MQTT_PORT ?? 18830);
const infraEnvFile = path.resolve(ROOT, process.env.DISTRIBUTED_INFRA_ENV ?? '.infra/env');
const appsEnvFile = path.join(path.dirname(infraEnvFile), 'apps.env');

const log = (message) => process.stdout.write(`[distributed] ${message}\n`);
const children = new Map();
let stopping = false;

function readEnvFile(file) {
  if (!fs.existsSync(file)) return {};
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
}

function databaseUrl(name) {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function ensureDatabases(names) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const name of names) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount === 0) {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
        log(`created database ${name}`);
      }
    }
  } finally {
    await client.end();
  }
}

function startApp(service, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', `apps/${service}/src/main.ts`],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.set(service, child);
    let listening = false;
    const relay = (stream, target) => {
      let buffered = '';
      stream.on('data', (chunk) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop();
        for (const line of lines) {
          target.write(`[${service}] ${line}\n`);
          const match = /listening on (http:\/\/\S+)/.exec(line);
          if (match && !listening) {
            listening = true;
            resolve(match[1]);
          }
        }
      });
    };
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.once('exit', (code, signal) => {
      children.delete(service);
      if (!listening) reject(new Error(`${service} exited (${code ?? signal}) before listening`));
      else if (!stopping) {
        log(`${service} exited (${code ?? signal}); stopping the others`);
        void stopAll(1);
      }
    });
  });
}

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  const exits = [...children.values()].map(
    (child) =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  );
  await Promise.all(exits);
  fs.rmSync(appsEnvFile, { force: true });
  process.exit(exitCode);
}

async function main() {
  const infra = readEnvFile(infraEnvFile);
  if (!infra.KAFKA_BROKERS) {
    throw new Error(`no KAFKA_BROKERS in ${infraEnvFile}: run \`npm run infra:up\` first`);
  }
  const ports = Object.fromEntries(SERVICES.map((service, index) => [service, portBase + index]));
  const urls = Object.fromEntries(
    SERVICES.map((service) => [URL_VARIABLE[service], `http://127.0.0.1:${ports[service]}`]),
  );
  await ensureDatabases([
    ...SERVICES.map((service) => `${dbPrefix}_${service.replace('-', '_')}`),
    `${dbPrefix}_registry`,
  ]);

  const keycloak = infra.KEYCLOAK_URL
    ? {
        OIDC_ISSUER_URL: infra.OIDC_ISSUER_URL_KEYCLOAK,
        KEYCLOAK_URL: infra.KEYCLOAK_URL,
        KEYCLOAK_REALM: infra.KEYCLOAK_REALM,
        KEYCLOAK_ADMIN_USER: infra.KEYCLOAK_ADMIN_USER,
        KEYCLOAK_ADMIN_PASSWORD: infra.KEYCLOAK_ADMIN_PASSWORD,
        SERVICE_CLIENT_ID: infra.KEYCLOAK_TEST_CLIENT_ID,
        SERVICE_CLIENT_SECRET: infra.KEYCLOAK_TEST_CLIENT_SECRET,
        SERVICE_TOKEN_ENDPOINT: `${infra.OIDC_ISSUER_URL_KEYCLOAK}/protocol/openid-connect/token`,
      }
    : null;
  // OTA Forge drives hawkBit (hawkBit mode, DDI proxied) when .infra/env names one.
  const hawkbit = infra.HAWKBIT_URL
    ? Object.fromEntries(
        ['HAWKBIT_URL', 'HAWKBIT_TENANT', 'HAWKBIT_USER', 'HAWKBIT_PASSWORD']
          .filter((name) => infra[name])
          .map((name) => [name, infra[name]]),
      )
    : {};
  const common = (service) => ({
    HOST: '127.0.0.1',
    PORT: String(ports[service]),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATABASE_URL: databaseUrl(`${dbPrefix}_${service.replace('-', '_')}`),
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    KAFKA_CLIENT_ID: service,
    // One namespace per deployment (the database prefix): two launchers on one broker — a test run
    // beside a developer's platform — must neither share consumer groups nor read each other's events.
    KAFKA_GROUP_ID: `${dbPrefix}-${service}`,
    KAFKA_TOPIC_PREFIX: `${dbPrefix}.`,
    REGISTRY_DATABASE_URL: databaseUrl(`${dbPrefix}_registry`),
    MQTT_PORT: String(mqttPort),
    MQTT_BROKER: service === 'provisioning' ? 'on' : 'off',
    BOOTSTRAP_CREDENTIALS_FILE: path.join(dataDir, service, 'bootstrap-admin.json'),
    PGLITE_DATA_DIR: path.join(dataDir, service, 'pglite'),
    ARTIFACTS_DIR: path.join(dataDir, service, 'artifacts'),
    ...urls,
    ...(keycloak ?? { OIDC_ISSUER_URL: `${urls.ORG_URL}/oidc` }),
    ...(service === 'ota-forge' ? hawkbit : {}),
  });

  log(
    `identity: ${keycloak ? `Keycloak at ${infra.KEYCLOAK_URL}` : 'embedded issuer in the org app'}; Kafka at ${infra.KAFKA_BROKERS}; ` +
      `OTA backend: ${infra.HAWKBIT_URL ? `hawkBit at ${infra.HAWKBIT_URL}` : 'OTA Forge (native DDI)'}`,
  );
  const started = Date.now();
  await startApp('org', common('org'));
  let serviceCredentials = {};
  if (!keycloak) {
    // The others call each other with the platform admin that the org app bootstrapped.
    const file = path.join(dataDir, 'org', 'bootstrap-admin.json');
    const { clientId, clientSecret } = JSON.parse(fs.readFileSync(file, 'utf8'));
    serviceCredentials = { SERVICE_CLIENT_ID: clientId, SERVICE_CLIENT_SECRET: clientSecret };
  }
  await Promise.all(
    SERVICES.filter((service) => service !== 'org').map((service) =>
      startApp(service, { ...common(service), ...serviceCredentials }),
    ),
  );
  fs.mkdirSync(path.dirname(appsEnvFile), { recursive: true });
  fs.writeFileSync(
    appsEnvFile,
    `${Object.entries(urls)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n')}\n`,
  );
  log(
    `all five up in ${((Date.now() - started) / 1000).toFixed(1)} s; URLs in ${path.relative(process.cwd(), appsEnvFile)}:`,
  );
  for (const [key, value] of Object.entries(urls)) log(`  ${key}=${value}`);
  log('Ctrl-C stops them all');
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((error) => {
  process.stderr.write(`[distributed] ${error.message}\n`);
  void stopAll(1);
});
