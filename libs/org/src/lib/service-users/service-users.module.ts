import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ServiceUsersController } from './service-users.controller.js';
import { ServiceUsersRepository } from './service-users.repository.js';
import { ServiceUsersService } from './service-users.service.js';

/** AdminCenter service users; IDENTITY_PROVIDER comes from the app's (global) IdentityModule. */
@Module({
  imports: [AccountsModule],
  controllers: [ServiceUsersController],
  providers: [ServiceUsersRepository, ServiceUsersService],
})
export class ServiceUsersModule {}
