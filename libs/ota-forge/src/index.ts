export { OtaForgeModule } from './lib/ota-forge.module.js';
export { otaForgeConfigSchema, withArtifactsDirDefault, type OtaForgeConfig } from './lib/ota-forge.config.js';
