import { infraEnv } from '@flexgalaxy/testing';

export interface HawkbitServer {
  url: string;
  tenant: string;
  authorization: string;
}

/** The real hawkBit update server named by .infra/env, or why there is none (never required). */
export function hawkbitServer(): HawkbitServer | { unavailable: string } {
  const env = infraEnv();
  const url = env['HAWKBIT_URL'];
  if (!url) {
    return {
      unavailable:
        'hawkBit not available: no HAWKBIT_URL in .infra/env (the update server is not published on the Maven repository reachable here and there is no Docker engine)',
    };
  }
  const user = env['HAWKBIT_USER'] ?? 'admin';
  const password = env['HAWKBIT_PASSWORD'] ?? 'admin';
  return {
    url: url.replace(/\/$/, ''),
    tenant: env['HAWKBIT_TENANT'] ?? 'DEFAULT',
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  };
}

async function management(server: HawkbitServer, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: server.authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300)
    throw new Error(`hawkBit ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
}

/**
 * Creates hawkBit targets with the same controller ids and TargetTokens as our seeded ones
 * (Management API, in batches) and enables target-token authentication for DDI.
 */
export async function seedHawkbitTargets(
  server: HawkbitServer,
  targets: { controllerPrefix: string; tokenPrefix: string; from: number; count: number },
): Promise<void> {
  await management(server, 'PUT', '/rest/v1/system/configs/authentication.targettoken.enabled', { value: true });
  const batch = 500;
  for (let start = targets.from; start < targets.from + targets.count; start += batch) {
    const body = [];
    for (let index = start; index < Math.min(targets.from + targets.count, start + batch); index++) {
      body.push({
        controllerId: `${targets.controllerPrefix}${String(index).padStart(8, '0')}`,
        name: `bench robot ${index}`,
        securityToken: `${targets.tokenPrefix}${index}`,
      });
    }
    await management(server, 'POST', '/rest/v1/targets', body);
  }
}

/**
 * The reason a hawkBit comparison that this suite does not drive yet is missing: hawkBit absent,
 * or present but the comparison (scheduler auto-assignment, target-filter query) not implemented.
 */
export function hawkbitNotMeasured(what: string): string {
  const server = hawkbitServer();
  if ('unavailable' in server) return server.unavailable;
  return `hawkBit runs (${server.url}) but the bench does not drive its ${what} yet: not measured`;
}
