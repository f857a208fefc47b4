import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ServiceTokenSource } from '@flexgalaxy/auth';
import { z } from 'zod';
import { MARKETPLACE_CONFIG } from '../core/marketplace.tokens.js';
import type { MarketplaceConfig } from '../marketplace.config.js';

// The two reporting contracts fixed by the platform lead; answers are parsed, never trusted.
const otaReportSchema = z.object({
  listingId: z.string(),
  version: z.string().nullable(),
  matched: z.number().int().min(0),
  downloading: z.number().int().min(0),
  installed: z.number().int().min(0),
  failed: z.number().int().min(0),
  trend: z.array(z.object({ day: z.string(), installed: z.number().int().min(0), failed: z.number().int().min(0) })),
});
export type OtaSoftwareReport = z.output<typeof otaReportSchema>;

const licenseReportSchema = z.object({
  softwareId: z.string(),
  active: z.number().int().min(0),
  byType: z.record(z.string(), z.number().int().min(0)),
  trend: z.array(z.object({ day: z.string(), issued: z.number().int().min(0), revoked: z.number().int().min(0) })),
});
export type LicenseReport = z.output<typeof licenseReportSchema>;

/**
 * Reads OTA Forge's and TrustMint's reporting APIs over HTTP with this service's own token
 * (ServiceTokenSource), never their tables. A source that fails or is slow yields null: the
 * portal shows what it has rather than nothing.
 */
@Injectable()
export class ReportingClient {
  private readonly logger = new Logger('marketplace.reports');

  constructor(
    @Inject(MARKETPLACE_CONFIG) private readonly config: MarketplaceConfig,
    @Inject(ServiceTokenSource) private readonly tokens: ServiceTokenSource,
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
  ) {}

  otaSoftwareReport(listingId: string, version: string | null): Promise<OtaSoftwareReport | null> {
    const query = new URLSearchParams({ listingId, ...(version ? { version } : {}) });
    return this.fetchReport(
      'OTA Forge',
      this.config.OTA_FORGE_URL,
      `/ota/v1/reports/software?${query}`,
      otaReportSchema,
    );
  }

  licenseReport(softwareId: string): Promise<LicenseReport | null> {
    const query = new URLSearchParams({ softwareId });
    return this.fetchReport(
      'TrustMint',
      this.config.TRUST_MINT_URL,
      `/entitlements/v1/reports/licenses?${query}`,
      licenseReportSchema,
    );
  }

  private async fetchReport<T>(
    source: string,
    configured: string | undefined,
    path: string,
    schema: z.ZodType<T>,
  ): Promise<T | null> {
    try {
      const response = await fetch(`${(configured ?? this.ownUrl()).replace(/\/$/, '')}${path}`, {
        headers: { authorization: `Bearer ${await this.tokens.token()}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.MARKETPLACE_REPORTS_TIMEOUT_MS),
      });
      if (response.status !== 200) {
        this.logger.warn({ source, status: response.status }, 'reporting API refused');
        return null;
      }
      const parsed = schema.safeParse(await response.json());
      if (!parsed.success) {
        this.logger.warn({ source, issues: parsed.error.issues.length }, 'reporting API answered outside its contract');
        return null;
      }
      return parsed.data;
    } catch (error) {
      this.logger.warn({ source, err: error }, 'reporting API unreachable');
      return null;
    }
  }

  /** This process's own URL: in the platform app, OTA Forge and TrustMint answer here too. */
  private ownUrl(): string {
    const address = this.host.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
    if (!address || typeof address === 'string') throw new Error('the HTTP server is not listening yet');
    const host = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }
}
