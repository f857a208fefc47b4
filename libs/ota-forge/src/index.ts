export { OtaForgeModule } from './lib/ota-forge.module.js';
