export { MarketplaceModule } from './lib/marketplace.module.js';
