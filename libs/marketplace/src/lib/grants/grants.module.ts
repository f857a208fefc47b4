import { Module } from '@nestjs/common';
import { MarketplaceAccountsModule } from '../accounts/accounts.module.js';
import { ListingsModule } from '../listings/listings.module.js';
import { GrantsController } from './grants.controller.js';
import { GrantsRepository } from './grants.repository.js';
import { GrantsService } from './grants.service.js';

@Module({
  imports: [ListingsModule, MarketplaceAccountsModule],
  controllers: [GrantsController],
  providers: [GrantsRepository, GrantsService],
  exports: [GrantsRepository],
})
export class GrantsModule {}
