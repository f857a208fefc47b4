import { z } from 'zod';

/** Settings every service app reads: where it listens and how it logs. */
export const httpConfigSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** A TCP port variable with the service's own default (the machine's services hold the usual ones). */
export function portSchema(defaultPort: number) {
  return z.coerce.number().int().min(0).max(65535).default(defaultPort);
}
