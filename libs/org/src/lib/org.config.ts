import { z } from 'zod';

/**
 * Org settings. PROVISIONING_URL: where DeviceAdmin's batch transfer calls the provisioning
 * service; by default the platform's own URL (all services in one process), or, for the lone org
 * app, the provisioning app's port (`defaultProvisioningPort`).
 */
export function orgConfigSchema(options: { defaultPort: number; defaultProvisioningPort?: number }) {
  return z
    .object({
      HOST: z.string().min(1).default('127.0.0.1'),
      PORT: z.coerce.number().int().min(0).max(65535).default(options.defaultPort),
      PROVISIONING_URL: z.url().optional(),
      PROVISIONING_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
      /** Transfers a batch runs at the same time (each is a compensating transaction over three systems). */
      TRANSFER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    })
    .transform((config) => ({
      ...config,
      PROVISIONING_URL:
        config.PROVISIONING_URL ?? `http://${config.HOST}:${options.defaultProvisioningPort ?? config.PORT}`,
    }));
}

export type OrgConfig = z.output<ReturnType<typeof orgConfigSchema>>;

export const ORG_CONFIG = Symbol('ORG_CONFIG');
