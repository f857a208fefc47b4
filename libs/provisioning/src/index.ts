export { ProvisioningModule } from './lib/provisioning.module.js';
