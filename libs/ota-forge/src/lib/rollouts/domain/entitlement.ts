/**
 * seed 000 §3 "Cross-Account OTA": may a policy of account A deploy a version onto a device owned
 * by another account? Only where a marketplace "Get" covers it. The bulk matcher states the same
 * rule in SQL (ActionsRepository.insertMatching); both are exercised by the same scenarios.
 */
export type VersionScoping = 'all' | 'major' | 'exact';
export type SoftwareCategory = 'device_bound' | 'application';

export interface Grant {
  listingId: string;
  granteeAccountId: string;
  scope: 'account' | 'org';
  orgRootAccountId: string | null;
  versionScoping: VersionScoping;
  grantedVersion: string;
}

export interface EntitlementSubject {
  policyOwnerAccountId: string;
  listingId: string | null;
  category: SoftwareCategory;
  version: string;
}

export interface TargetOwnership {
  accountId: string;
  orgRootId: string | null;
  /** The account that enrolled it: device-bound software follows the maker's "Get" forever. */
  makerAccountId: string;
  makerOrgRootId: string | null;
}

/** Leading number of a version ("v3.1.4" → "3"); the version itself when it has none. */
export function majorOf(version: string): string {
  const match = /^v?(\d+)/i.exec(version.trim());
  return match ? String(Number(match[1])) : version.trim();
}

export function grantCoversVersion(grant: Pick<Grant, 'versionScoping' | 'grantedVersion'>, version: string): boolean {
  switch (grant.versionScoping) {
    case 'all':
      return true;
    case 'major':
      return majorOf(grant.grantedVersion) === majorOf(version);
    case 'exact':
      return grant.grantedVersion === version;
  }
}

function grantHeldBy(grant: Grant, accountId: string, orgRootId: string | null): boolean {
  if (grant.scope === 'account') return grant.granteeAccountId === accountId;
  return orgRootId !== null && grant.orgRootAccountId === orgRootId;
}

/**
 * - own devices (policy author = owner) need no grant;
 * - otherwise a live grant of the listing covering the version, held by the owner's account
 *   (account scope) or the owner's org (org scope, an org-wide "Get");
 * - device-bound software also follows a grant held by the maker (or the maker's org), so it keeps
 *   updating through every transfer.
 */
export function isEntitled(subject: EntitlementSubject, target: TargetOwnership, grants: readonly Grant[]): boolean {
  if (subject.policyOwnerAccountId === target.accountId) return true;
  if (subject.listingId === null) return false;
  return grants.some(
    (grant) =>
      grant.listingId === subject.listingId &&
      grantCoversVersion(grant, subject.version) &&
      (grantHeldBy(grant, target.accountId, target.orgRootId) ||
        (subject.category === 'device_bound' && grantHeldBy(grant, target.makerAccountId, target.makerOrgRootId))),
  );
}
