import type { IssuanceTrigger } from './issuance-policy.js';

/** A listing as listing.published announced it: the license issuance policy TrustMint applies. */
export interface PublishedListing {
  id: string;
  developerAccountId: string;
  name: string;
  latestVersion: string;
  category: string;
  versionScoping: string;
  softwareType: string;
  policyLicenseType: string;
  trigger: IssuanceTrigger;
  publishedAt: Date;
}
