import { Module, type DynamicModule } from '@nestjs/common';
import { DeviceRegistryModule, IdentityModule } from '@flexgalaxy/adapters';
import { MarketplaceModule } from '@flexgalaxy/marketplace';
import { OrgModule } from '@flexgalaxy/org';
import { OtaForgeModule } from '@flexgalaxy/ota-forge';
import { ProvisioningModule } from '@flexgalaxy/provisioning';
import { ServiceRootModule } from '@flexgalaxy/service-kit';
import { TrustMintModule } from '@flexgalaxy/trust-mint';
import type { PlatformConfig } from './platform.config.js';

/** All five services in one process, on the embedded adapters unless configured otherwise. */
@Module({})
export class PlatformModule {
  static forRoot(config: PlatformConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ServiceRootModule.forRoot({
          database: config.database,
          events: config.events,
          auth: config.auth,
          imports: [
            IdentityModule.forRoot(config.identity),
            DeviceRegistryModule.forRoot(config.registry),
            OrgModule.forRoot(config.org),
            ProvisioningModule.forRoot(config.provisioning),
            OtaForgeModule.forRoot(config.otaForge),
            TrustMintModule.forRoot(config.trustMint),
            MarketplaceModule.forRoot(config.marketplace),
          ],
        }),
      ],
    };
  }
}
