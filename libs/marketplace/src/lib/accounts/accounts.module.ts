import { Module } from '@nestjs/common';
import { MarketplaceAccountsRepository } from './accounts.repository.js';
import { RecordAccountOnOrgAccountCreatedHandler } from './handlers/record-account-on-org-account-created.handler.js';

/** The org accounts Marketplace needs to know about (kinds and org roots). */
@Module({
  providers: [MarketplaceAccountsRepository, RecordAccountOnOrgAccountCreatedHandler],
  exports: [MarketplaceAccountsRepository],
})
export class MarketplaceAccountsModule {}
