import { Module } from '@nestjs/common';
import { TransactionRunner } from '../shared/transaction-runner.js';
import { AccountDirectory } from './account-directory.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsRepository } from './accounts.repository.js';
import { AccountsService } from './accounts.service.js';

/** Accounts and the hierarchy; exports AccountDirectory so other features can place a caller. */
@Module({
  controllers: [AccountsController],
  providers: [AccountsRepository, AccountsService, AccountDirectory, TransactionRunner],
  exports: [AccountDirectory],
})
export class AccountsModule {}
