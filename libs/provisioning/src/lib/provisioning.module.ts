import { Global, Module, type DynamicModule } from '@nestjs/common';
import { OtaTargetsModule } from '@flexgalaxy/adapters';
import { AccountsModule } from './accounts/accounts.module.js';
import { ClaimTokensModule } from './claim-tokens/claim-tokens.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { ManufacturerCasModule } from './manufacturer-cas/manufacturer-cas.module.js';
import { PkiModule } from './pki/pki.module.js';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from './provisioning.config.js';

/** Makes the parsed config and the OTA targets port reachable from every provisioning feature. */
@Global()
@Module({})
class ProvisioningCoreModule {
  static forRoot(config: ProvisioningConfig): DynamicModule {
    const ota = OtaTargetsModule.forRoot({
      OTA_FORGE_URL: config.OTA_FORGE_URL,
      OTA_FORGE_TIMEOUT_MS: config.OTA_FORGE_TIMEOUT_MS,
    });
    return {
      module: ProvisioningCoreModule,
      imports: [ota],
      providers: [{ provide: PROVISIONING_CONFIG, useValue: config }],
      exports: [PROVISIONING_CONFIG, ota],
    };
  }
}

/**
 * The provisioning service (seed 002, /provisioning/v1): enrollment in the three scenarios with
 * mTLS / claim-token / pre-shared-token identity proofs, the device lifecycle, transfers with
 * credential rotation and telemetry rules, manufacturer CAs under the platform root, claim tokens,
 * and the devices' own TLS listener.
 *
 * Expects from the app, as globals: DatabaseModule, EventsModule, AuthModule (ServiceTokenSource
 * for OTA Forge calls), IdentityModule (IDENTITY_PROVIDER) and DeviceRegistryModule (DEVICE_REGISTRY).
 */
@Module({})
export class ProvisioningModule {
  static forRoot(config: ProvisioningConfig): DynamicModule {
    return {
      module: ProvisioningModule,
      imports: [
        ProvisioningCoreModule.forRoot(config),
        AccountsModule,
        PkiModule,
        ManufacturerCasModule,
        ClaimTokensModule,
        DevicesModule,
      ],
    };
  }
}
