// Jest global setup: where no real server is configured (neither `.infra/env` from `infra:up` or
// docker compose, nor the environment) and a Docker engine answers, the real servers run as
// Testcontainers for this test run; their variables reach every worker through process.env.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ENV_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.infra', 'env');

function configured() {
  const file = fs.existsSync(ENV_FILE) ? fs.readFileSync(ENV_FILE, 'utf8') : '';
  return /^KAFKA_BROKERS=/m.test(file) || Boolean(process.env.KAFKA_BROKERS);
}

export default async function globalSetup() {
  if (configured() || process.env.TESTCONTAINERS === 'off') return;
  const { dockerEngineAbsence, startContainers } = await import('./containers.mjs');
  const absence = await dockerEngineAbsence();
  if (absence) {
    console.warn(`\nreal servers: none configured and no Testcontainers: ${absence}; run \`npm run infra:up\``);
    return;
  }
  console.warn('\nreal servers: starting Kafka, Keycloak and hawkBit as Testcontainers…');
  const stack = await startContainers();
  Object.assign(process.env, stack.env);
  globalThis.__flexgalaxyContainers = stack;
}
