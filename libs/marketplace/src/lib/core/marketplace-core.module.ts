import { Module, type DynamicModule } from '@nestjs/common';
import type { MarketplaceConfig } from '../marketplace.config.js';
import { MARKETPLACE_CONFIG } from './marketplace.tokens.js';
import { MarketplaceTransactions } from './transaction-runner.js';

/** What every Marketplace feature shares; global so features need no forRoot of their own. */
@Module({})
export class MarketplaceCoreModule {
  static forRoot(config: MarketplaceConfig): DynamicModule {
    return {
      module: MarketplaceCoreModule,
      global: true,
      providers: [{ provide: MARKETPLACE_CONFIG, useValue: config }, MarketplaceTransactions],
      exports: [MARKETPLACE_CONFIG, MarketplaceTransactions],
    };
  }
}
