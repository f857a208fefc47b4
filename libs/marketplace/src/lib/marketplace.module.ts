import { Module } from '@nestjs/common';

/**
 * The marketplace service. Its features (seed 000 §3-4: listings, "Get" grants and developer metrics (issue: TrustMint and Marketplace)) are
 * added as feature modules here; the app and the platform already boot it with the shared
 * database, event bus, token validation, /health, /metrics and /docs.
 */
@Module({})
export class MarketplaceModule {}
