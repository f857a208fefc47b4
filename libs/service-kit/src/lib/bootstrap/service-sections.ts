import { z } from 'zod';
import { authConfigSchema } from '@flexgalaxy/auth';
import { databaseConfigSchema } from '@flexgalaxy/db';
import { eventsConfigSchema } from '@flexgalaxy/events';
import { httpConfigSchema, portSchema } from '../config/common.config.js';

/** Ports of the apps when each runs alone (the machine's own services hold the usual ones). */
export const DEFAULT_PORTS = {
  platform: 8080,
  provisioning: 8081,
  'ota-forge': 8082,
  'trust-mint': 8083,
  marketplace: 8084,
  org: 8085,
} as const;

/** The config sections every service process reads. */
export function serviceSections(defaultPort: number) {
  return {
    http: httpConfigSchema.extend({ PORT: portSchema(defaultPort) }),
    database: databaseConfigSchema,
    events: eventsConfigSchema,
    auth: authConfigSchema,
  };
}

/**
 * An embedded database per process by default, so lone apps started side by side on one
 * machine never open the same PGlite folder.
 */
export function withDataDirDefault(
  env: Record<string, string | undefined>,
  service: string,
): Record<string, string | undefined> {
  return env['PGLITE_DATA_DIR'] ? env : { ...env, PGLITE_DATA_DIR: `.data/${service}/pglite` };
}

/**
 * Defaults that depend on other variables: a process that runs the embedded issuer trusts
 * itself; a lone service trusts the org app's issuer unless told otherwise.
 */
export function withIssuerDefault(
  env: Record<string, string | undefined>,
  issuerHostPort: { host?: string; port: number },
): Record<string, string | undefined> {
  if (env['OIDC_ISSUER_URL']) return env;
  const host = env['HOST'] && env['HOST'] !== '0.0.0.0' ? env['HOST'] : (issuerHostPort.host ?? '127.0.0.1');
  return { ...env, OIDC_ISSUER_URL: `http://${host}:${issuerHostPort.port}/oidc` };
}

export type ServiceSections = ReturnType<typeof serviceSections>;
export type ServiceConfig = { readonly [K in keyof ServiceSections]: Readonly<z.output<ServiceSections[K]>> };
