import { Module } from '@nestjs/common';
import { MarketplaceAccountsModule } from '../accounts/accounts.module.js';
import { ListingsController } from './listings.controller.js';
import { ListingsRepository } from './listings.repository.js';
import { ListingsService } from './listings.service.js';

@Module({
  imports: [MarketplaceAccountsModule],
  controllers: [ListingsController],
  providers: [ListingsRepository, ListingsService],
  exports: [ListingsRepository],
})
export class ListingsModule {}
