import { z } from 'zod';

/**
 * Marketplace settings. The developer portal reads OTA Forge's and TrustMint's reporting APIs
 * over HTTP (seed 000 §4 "Developer Visibility"); unset base URLs mean "this process's own URL",
 * which is where both live in the platform app.
 */
export const marketplaceConfigSchema = z.object({
  OTA_FORGE_URL: z.url().optional(),
  TRUST_MINT_URL: z.url().optional(),
  /** Per call to a reporting API; a slow one leaves its metrics out rather than the page hanging. */
  MARKETPLACE_REPORTS_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(5000),
});

export type MarketplaceConfig = z.output<typeof marketplaceConfigSchema>;
