import { Module, type DynamicModule } from '@nestjs/common';
import { MarketplaceAccountsModule } from './accounts/accounts.module.js';
import { MarketplaceCoreModule } from './core/marketplace-core.module.js';
import { GrantsModule } from './grants/grants.module.js';
import { ListingsModule } from './listings/listings.module.js';
import type { MarketplaceConfig } from './marketplace.config.js';
import { MetricsModule } from './metrics/metrics.module.js';

/**
 * The Marketplace (seed 000 §3–4), under /marketplace/v1: developers' listings with their license
 * issuance policy, "Get" grants (account or org-wide), and the developer portal's metrics.
 *
 * Expects from the app, as globals: DatabaseModule (PrismaService), AuthModule (with its
 * ServiceTokenSource) and EventsModule (OutboxWriter; it also discovers the @OnEvents handlers).
 */
@Module({})
export class MarketplaceModule {
  static forRoot(config: MarketplaceConfig): DynamicModule {
    return {
      module: MarketplaceModule,
      imports: [
        MarketplaceCoreModule.forRoot(config),
        MarketplaceAccountsModule,
        ListingsModule,
        GrantsModule,
        MetricsModule,
      ],
    };
  }
}
