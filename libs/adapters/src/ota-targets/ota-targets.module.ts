import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceTokenSource } from '@flexgalaxy/auth';
import { OtaForgeTargetsClient } from './ota-forge/ota-forge-targets.client.js';
import type { OtaTargetsConfig } from './ota-targets.config.js';
import { OTA_TARGETS } from './ota-targets.port.js';

/**
 * Provides OTA_TARGETS: OTA Forge's targets API over HTTP, with the service token of this process
 * (ServiceTokenSource from the global AuthModule). In the platform OTA Forge answers on the same
 * URL; a lone provisioning app points OTA_FORGE_URL at the ota-forge app. (A hawkBit adapter would
 * sit beside this one; OTA Forge itself fronts hawkBit, so provisioning never talks to it.)
 */
@Module({})
export class OtaTargetsModule {
  static forRoot(config: OtaTargetsConfig): DynamicModule {
    return {
      module: OtaTargetsModule,
      providers: [
        {
          provide: OTA_TARGETS,
          useFactory: (tokens: ServiceTokenSource) =>
            new OtaForgeTargetsClient({ url: config.OTA_FORGE_URL, timeoutMs: config.OTA_FORGE_TIMEOUT_MS }, tokens),
          inject: [ServiceTokenSource],
        },
      ],
      exports: [OTA_TARGETS],
    };
  }
}
