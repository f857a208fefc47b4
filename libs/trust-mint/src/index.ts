export { TrustMintModule } from './lib/trust-mint.module.js';
export { trustMintConfigSchema, type TrustMintConfig } from './lib/trust-mint.config.js';
export { TrustMintPermission, SUBSCRIBE_PERMISSION } from './lib/core/trust-mint.permissions.js';
