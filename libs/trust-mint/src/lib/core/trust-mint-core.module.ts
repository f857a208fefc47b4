import { Module, type DynamicModule } from '@nestjs/common';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository.js';
import type { TrustMintConfig } from '../trust-mint.config.js';
import { BoundaryGuard } from './entitlement.js';
import { TrustMintTransactions } from './transaction-runner.js';
import { TRUST_MINT_CONFIG } from './trust-mint.tokens.js';

/**
 * What every TrustMint feature shares: its config, transactions and the boundary check. Global
 * so that feature modules need no forRoot of their own; its tokens are TrustMint's alone.
 */
@Module({})
export class TrustMintCoreModule {
  static forRoot(config: TrustMintConfig): DynamicModule {
    return {
      module: TrustMintCoreModule,
      global: true,
      providers: [
        { provide: TRUST_MINT_CONFIG, useValue: config },
        TrustMintTransactions,
        SubscriptionsRepository,
        BoundaryGuard,
      ],
      exports: [TRUST_MINT_CONFIG, TrustMintTransactions, SubscriptionsRepository, BoundaryGuard],
    };
  }
}
