/** Permissions the Marketplace endpoints check (platform admins hold every permission). */
export const MarketplacePermission = {
  /** Create, edit and publish the account's own listings (developer accounts). */
  listingsWrite: 'marketplace.listings.write',
  /** The developer portal's metrics for the account's own listings. */
  metricsRead: 'marketplace.metrics.read',
  /** "Get" a listing for this account only (an account administrator's). */
  get: 'marketplace.get',
  /** "Get" a listing org-wide: the org root's software administrator, by delegation (seed 000 §3). */
  getOrg: 'marketplace.get.org',
} as const;
