import { Module } from '@nestjs/common';
import { AccountsModule } from './accounts/accounts.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { ServiceUsersModule } from './service-users/service-users.module.js';

/**
 * The Org service: accounts and their hierarchy (/org/v1), AdminCenter service users, and
 * DeviceAdmin's fleet view (/deviceadmin/v1) over an event-fed device ownership projection.
 *
 * Expects from the app, as globals: DatabaseModule (PrismaService), AuthModule, EventsModule
 * (OutboxWriter; it also discovers this module's @OnEvents handlers) and IdentityModule
 * (IDENTITY_PROVIDER). It reads no configuration of its own.
 */
@Module({
  imports: [AccountsModule, DevicesModule, ServiceUsersModule],
})
export class OrgModule {}
