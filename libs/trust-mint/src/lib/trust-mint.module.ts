import { Module, type DynamicModule } from '@nestjs/common';
import { TrustMintCoreModule } from './core/trust-mint-core.module.js';
import { IssuanceModule } from './issuance/issuance.module.js';
import { LicensingModule } from './licenses/licensing.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { SubscriptionsModule } from './subscriptions/subscriptions.module.js';
import type { TrustMintConfig } from './trust-mint.config.js';
import { UpgradesModule } from './upgrades/upgrades.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/**
 * TrustMint (seed 001; seed 000 §4), under /entitlements/v1: role → permission boundaries,
 * TRIAL on enrollment, policy-driven issuance, TRIAL → OFFICIAL approvals, signed webhooks,
 * reports, BoardingPass analytics and the audit trail.
 *
 * Expects from the app, as globals: DatabaseModule (PrismaService), AuthModule and EventsModule
 * (OutboxWriter; it also discovers this module's @OnEvents handlers).
 */
@Module({})
export class TrustMintModule {
  static forRoot(config: TrustMintConfig): DynamicModule {
    return {
      module: TrustMintModule,
      imports: [
        TrustMintCoreModule.forRoot(config),
        SubscriptionsModule,
        WebhooksModule,
        LicensingModule,
        IssuanceModule,
        UpgradesModule,
        ReportsModule,
      ],
    };
  }
}
