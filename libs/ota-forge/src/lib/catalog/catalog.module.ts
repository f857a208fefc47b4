import { Module } from '@nestjs/common';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../ota-forge.config.js';
import { ArtifactStore } from './artifact-store.js';
import { CatalogController } from './catalog.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';
import { RawBodyParser } from './raw-body.parser.js';

/** Software modules, artifacts (bytes in the store) and distribution sets. */
@Module({
  controllers: [CatalogController],
  providers: [
    CatalogRepository,
    CatalogService,
    RawBodyParser,
    {
      provide: ArtifactStore,
      useFactory: (config: OtaForgeConfig) => new ArtifactStore(config.ARTIFACTS_DIR),
      inject: [OTA_FORGE_CONFIG],
    },
  ],
  exports: [CatalogRepository, ArtifactStore],
})
export class CatalogModule {}
