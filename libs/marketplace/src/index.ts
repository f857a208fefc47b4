export { MarketplaceModule } from './lib/marketplace.module.js';
export { marketplaceConfigSchema, type MarketplaceConfig } from './lib/marketplace.config.js';
export { MarketplacePermission } from './lib/core/marketplace.permissions.js';
