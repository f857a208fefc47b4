import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `.infra/env`, written by `npm run infra:up` (or docker compose): URLs of the real servers. */
export const INFRA_ENV_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../../../.infra/env');

function readInfraEnv(): Record<string, string> {
  if (!existsSync(INFRA_ENV_FILE)) return {};
  return Object.fromEntries(
    readFileSync(INFRA_ENV_FILE, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#') && line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** The environment merged over `.infra/env` (an explicit variable wins). */
export function infraEnv(): Record<string, string | undefined> {
  return { ...readInfraEnv(), ...process.env };
}

/**
 * Settings of a real server a suite needs, or null when it is not configured — in which case
 * the suite must skip and say why. In CI the servers are always started, so a missing one
 * fails the run instead of hiding the suite.
 */
export function realServer(variables: string[], what: string): Record<string, string> | null {
  const env = infraEnv();
  const missing = variables.filter((name) => !env[name]);
  if (missing.length === 0) return Object.fromEntries(variables.map((name) => [name, env[name]!]));
  const reason = `${what} not configured (${missing.join(', ')} unset; run \`npm run infra:up\`)`;
  if (process.env['CI'] === 'true') throw new Error(`${reason}: CI must run this suite against the real server`);
  console.warn(`SKIPPED: ${reason}`);
  return null;
}
