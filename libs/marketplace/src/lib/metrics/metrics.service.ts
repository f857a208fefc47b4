import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { GrantsRepository } from '../grants/grants.repository.js';
import { ListingNotFoundError } from '../listings/listings.errors.js';
import { ListingsRepository } from '../listings/listings.repository.js';
import { ReportingClient } from './reporting.client.js';

const TREND_DAYS = 30;

export type SourceStatus = 'ok' | 'unavailable';

/**
 * seed 000 §4 "Developer Visibility": what a developer sees of its own listing, aggregated from
 * OTA Forge (matched devices, installs), TrustMint (licenses) and Marketplace's own grants.
 * Aggregates only: no device or account ids.
 */
@Injectable()
export class MetricsService {
  constructor(
    @Inject(ListingsRepository) private readonly listings: ListingsRepository,
    @Inject(GrantsRepository) private readonly grants: GrantsRepository,
    @Inject(ReportingClient) private readonly reports: ReportingClient,
  ) {}

  async forListing(principal: Principal, listingId: string, version: string | null) {
    const scope = principal.isPlatformAdmin
      ? ({ kind: 'all' } as const)
      : ({ kind: 'own', accountId: principal.accountId } as const);
    const listing = await this.listings.findVisible(scope, listingId);
    // Another developer's listing, published or not, is "not found" here: metrics are the owner's.
    if (!listing) throw new ListingNotFoundError(listingId);
    const since = new Date(Date.now() - TREND_DAYS * 86_400_000);
    const [ota, licenses, gets] = await Promise.all([
      this.reports.otaSoftwareReport(listingId, version),
      this.reports.licenseReport(listingId),
      this.grants.statsOf(listingId, since),
    ]);
    return {
      listingId,
      version,
      generatedAt: new Date().toISOString(),
      sources: {
        otaForge: (ota ? 'ok' : 'unavailable') as SourceStatus,
        trustMint: (licenses ? 'ok' : 'unavailable') as SourceStatus,
      },
      devicesMatched: ota?.matched ?? null,
      installs: ota ? { successful: ota.installed, failed: ota.failed, inProgress: ota.downloading } : null,
      installTrend: ota?.trend ?? null,
      licenses: licenses ? { active: licenses.active, byType: licenses.byType, trend: licenses.trend } : null,
      gets: {
        total: gets.total,
        active: gets.active,
        revoked: gets.revoked,
        byScope: gets.byScope,
        trend: gets.trend,
      },
      adoption: {
        granteeAccounts: gets.granteeAccounts,
        /** Installed over matched: how much of the addressable fleet runs the software. */
        installRate: ota && ota.matched > 0 ? ota.installed / ota.matched : null,
        /** Active licenses over successful installs (license utilization). */
        licensesPerInstall: ota && licenses && ota.installed > 0 ? licenses.active / ota.installed : null,
      },
    };
  }
}
