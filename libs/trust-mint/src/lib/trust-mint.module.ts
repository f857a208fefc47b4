import { Module } from '@nestjs/common';

/**
 * The trust-mint service. Its features (seed 001 and seed 000 §4: licenses, approvals and webhooks (issue: TrustMint and Marketplace)) are
 * added as feature modules here; the app and the platform already boot it with the shared
 * database, event bus, token validation, /health, /metrics and /docs.
 */
@Module({})
export class TrustMintModule {}
