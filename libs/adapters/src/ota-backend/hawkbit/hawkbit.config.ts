import { z } from 'zod';

/** The hawkBit update server OTA Forge drives in hawkBit mode (Management API + DDI). */
export const hawkbitConfigSchema = z.object({
  HAWKBIT_URL: z.url(),
  HAWKBIT_TENANT: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" and "-" only')
    .default('DEFAULT'),
  HAWKBIT_USER: z.string().min(1),
  HAWKBIT_PASSWORD: z.string().min(1),
  /** Per request; a download's body may take longer, as long as bytes keep flowing. */
  HAWKBIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

export type HawkbitConfig = z.output<typeof hawkbitConfigSchema>;
