/** The frozen MarketplaceConfig, provided by MarketplaceModule.forRoot. */
export const MARKETPLACE_CONFIG = Symbol('MARKETPLACE_CONFIG');
