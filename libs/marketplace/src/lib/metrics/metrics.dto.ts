import { z } from 'zod';
import { versionSchema } from '../listings/listings.dto.js';

const count = z.number().int().min(0);

export const metricsQuerySchema = z.object({ version: versionSchema.optional() });
export type MetricsQuery = z.output<typeof metricsQuerySchema>;

export const metricsResponseSchema = z
  .object({
    listingId: z.string(),
    version: z.string().nullable(),
    generatedAt: z.iso.datetime(),
    sources: z.object({ otaForge: z.enum(['ok', 'unavailable']), trustMint: z.enum(['ok', 'unavailable']) }),
    devicesMatched: count.nullable(),
    installs: z.object({ successful: count, failed: count, inProgress: count }).nullable(),
    installTrend: z.array(z.object({ day: z.string(), installed: count, failed: count })).nullable(),
    licenses: z
      .object({
        active: count,
        byType: z.record(z.string(), count),
        trend: z.array(z.object({ day: z.string(), issued: count, revoked: count })),
      })
      .nullable(),
    gets: z.object({
      total: count,
      active: count,
      revoked: count,
      byScope: z.object({ account: count, org: count }),
      trend: z.array(z.object({ day: z.string(), gets: count })),
    }),
    adoption: z.object({
      granteeAccounts: count,
      installRate: z.number().nullable(),
      licensesPerInstall: z.number().nullable(),
    }),
  })
  .meta({ id: 'ListingMetrics' });
export type MetricsResponse = z.output<typeof metricsResponseSchema>;
