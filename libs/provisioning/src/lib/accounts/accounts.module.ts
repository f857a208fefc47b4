import { Module } from '@nestjs/common';
import { AccountDirectory } from './account-directory.js';
import { AccountsRepository } from './accounts.repository.js';
import { RecordAccountOnAccountCreatedHandler } from './handlers/record-account-on-account-created.handler.js';

@Module({
  providers: [AccountsRepository, AccountDirectory, RecordAccountOnAccountCreatedHandler],
  exports: [AccountDirectory],
})
export class AccountsModule {}
