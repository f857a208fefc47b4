import { z } from 'zod';

/** Where OTA Forge's targets API is; provisioning calls it with its ServiceTokenSource token. */
export const otaTargetsConfigSchema = z.object({
  OTA_FORGE_URL: z.url(),
  OTA_FORGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

export type OtaTargetsConfig = z.output<typeof otaTargetsConfigSchema>;
