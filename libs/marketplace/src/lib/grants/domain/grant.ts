import type { VersionScoping } from '../../listings/domain/listing.js';

export type GrantScope = 'account' | 'org';

/** A "Get" (seed 000 §3): OTA Forge may create policies for the listing in the grantee's scope. */
export interface Grant {
  id: string;
  listingId: string;
  granteeAccountId: string;
  scope: GrantScope;
  orgRootAccountId: string | null;
  versionScoping: VersionScoping;
  grantedVersion: string;
  coverage: string;
  status: 'ACTIVE' | 'REVOKED';
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}
