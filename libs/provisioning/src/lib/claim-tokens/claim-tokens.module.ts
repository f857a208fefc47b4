import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ClaimTokensController } from './claim-tokens.controller.js';
import { ClaimTokensRepository } from './claim-tokens.repository.js';
import { ClaimTokensService } from './claim-tokens.service.js';

@Module({
  imports: [AccountsModule],
  controllers: [ClaimTokensController],
  providers: [ClaimTokensRepository, ClaimTokensService],
  exports: [ClaimTokensRepository],
})
export class ClaimTokensModule {}
