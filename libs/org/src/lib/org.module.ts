import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AccountRolesModule } from './account-roles/account-roles.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { ORG_CONFIG, type OrgConfig } from './org.config.js';
import { ServiceUsersModule } from './service-users/service-users.module.js';
import { TransfersModule } from './transfers/transfers.module.js';

@Global()
@Module({})
class OrgConfigModule {
  static forRoot(config: OrgConfig): DynamicModule {
    return {
      module: OrgConfigModule,
      providers: [{ provide: ORG_CONFIG, useValue: config }],
      exports: [ORG_CONFIG],
    };
  }
}

/**
 * The Org service: accounts and their hierarchy (/org/v1), AdminCenter service users, DeviceAdmin's
 * fleet view (/deviceadmin/v1) over an event-fed device ownership projection, DeviceAdmin's
 * batch transfer façade over provisioning (/deviceadmin/v1/transfers), and TrustMint's role
 * declarations handed to the identity provider (the `roles` claim).
 *
 * Expects from the app, as globals: DatabaseModule (PrismaService), AuthModule, EventsModule
 * (OutboxWriter; it also discovers this module's @OnEvents handlers) and IdentityModule
 * (IDENTITY_PROVIDER). `OrgModule.forRoot(config)` sets PROVISIONING_URL; imported bare, the
 * batch transfer calls the platform's default URL (ORG_CONFIG defaults, transfers.module.ts).
 */
@Module({
  imports: [AccountsModule, AccountRolesModule, DevicesModule, ServiceUsersModule, TransfersModule],
})
export class OrgModule {
  static forRoot(config: OrgConfig): DynamicModule {
    return { module: OrgModule, imports: [OrgConfigModule.forRoot(config)] };
  }
}
