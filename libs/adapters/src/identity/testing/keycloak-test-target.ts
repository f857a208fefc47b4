import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

// Written by `node tools/infra/infra.mjs up keycloak` at the repository root.
const INFRA_ENV_FILE = join(dirname(fileURLToPath(import.meta.url)), '../../../../../.infra/env');

const keycloakTestEnvSchema = z.object({
  KEYCLOAK_URL: z.url(),
  KEYCLOAK_REALM: z.string().min(1),
  KEYCLOAK_ADMIN_USER: z.string().min(1),
  KEYCLOAK_ADMIN_PASSWORD: z.string().min(1),
  KEYCLOAK_TEST_CLIENT_ID: z.string().min(1),
  KEYCLOAK_TEST_CLIENT_SECRET: z.string().min(1),
});

export type KeycloakTestEnv = z.output<typeof keycloakTestEnvSchema>;

export type KeycloakTestTarget = { reachable: true; env: KeycloakTestEnv } | { reachable: false; reason: string };

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)=(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1] ?? '', (match[2] ?? '').trim()]);
  return Object.fromEntries(entries);
}

/**
 * The Keycloak the tests may use: variables from the environment, else from `.infra/env`, and
 * only if its realm answers right now. Tests choose describe or describe.skip with it at load time.
 */
export async function findKeycloakTestTarget(
  environment: Record<string, string | undefined>,
): Promise<KeycloakTestTarget> {
  const merged = {
    ...readEnvFile(INFRA_ENV_FILE),
    ...Object.fromEntries(Object.entries(environment).filter(([, value]) => value)),
  };
  const parsed = keycloakTestEnvSchema.safeParse(merged);
  if (!parsed.success) {
    return {
      reachable: false,
      reason: `no Keycloak configured (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')} missing from the environment and ${INFRA_ENV_FILE}); start one with \`node tools/infra/infra.mjs up keycloak\``,
    };
  }
  const discovery = `${parsed.data.KEYCLOAK_URL.replace(/\/$/, '')}/realms/${parsed.data.KEYCLOAK_REALM}/.well-known/openid-configuration`;
  try {
    const response = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return { reachable: false, reason: `${discovery} answered HTTP ${response.status}` };
  } catch (error) {
    return {
      reachable: false,
      reason: `${discovery} unreachable (${(error as Error).cause ?? (error as Error).message})`,
    };
  }
  return { reachable: true, env: parsed.data };
}
