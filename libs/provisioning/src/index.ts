export { ProvisioningModule } from './lib/provisioning.module.js';
export { provisioningConfigSchema, type ProvisioningConfig } from './lib/provisioning.config.js';
