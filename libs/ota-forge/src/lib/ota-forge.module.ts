import { Global, Module, type DynamicModule } from '@nestjs/common';
import { createOtaBackend, OTA_BACKEND } from '@flexgalaxy/adapters';
import { ActionsModule } from './actions/actions.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import { DdiModule } from './ddi/ddi.module.js';
import { hawkbitConfigOf, OTA_FORGE_CONFIG, type OtaForgeConfig } from './ota-forge.config.js';
import { PoliciesModule } from './policies/policies.module.js';
import { RolloutsModule } from './rollouts/rollouts.module.js';
import { TargetsModule } from './targets/targets.module.js';

@Global()
@Module({})
class OtaForgeConfigModule {
  static forRoot(config: OtaForgeConfig): DynamicModule {
    return {
      module: OtaForgeConfigModule,
      providers: [
        { provide: OTA_FORGE_CONFIG, useValue: config },
        // null without HAWKBIT_URL: OTA Forge is its own backend (native DDI).
        { provide: OTA_BACKEND, useFactory: () => createOtaBackend(hawkbitConfigOf(config)) },
      ],
      exports: [OTA_FORGE_CONFIG, OTA_BACKEND],
    };
  }
}

/**
 * The ota-forge service (seed 000 §1-4): targets, software modules / artifacts / distribution
 * sets, rollout policies with two-tier evaluation, zero-touch auto-rollout, cross-account OTA
 * through marketplace grants, installation tracking, and the hawkBit-compatible DDI. With
 * HAWKBIT_URL (hawkBit mode) it stays the policy engine and drives the real hawkBit: targets,
 * catalog and assignments are mirrored through hawkBit's Management API, the DDI is proxied.
 *
 * Expects from the app, as globals: DatabaseModule, AuthModule, EventsModule and (for the
 * battery / task constraints) DeviceRegistryModule's DEVICE_REGISTRY.
 */
@Module({})
export class OtaForgeModule {
  static forRoot(config: OtaForgeConfig): DynamicModule {
    return {
      module: OtaForgeModule,
      imports: [
        OtaForgeConfigModule.forRoot(config),
        RolloutsModule,
        CatalogModule,
        TargetsModule,
        PoliciesModule,
        ActionsModule,
        DdiModule.forRoot({ hawkbit: hawkbitConfigOf(config) !== null }),
      ],
    };
  }
}
