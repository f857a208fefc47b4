import { compareNatural } from '@flexgalaxy/targeting';

export type SoftwareCategory = 'device_bound' | 'application';
export type VersionScoping = 'all' | 'major' | 'exact';
export type LicenseTrigger = 'on_install' | 'on_activation' | 'on_download' | 'on_install_validated';
export type ListingStatus = 'DRAFT' | 'PUBLISHED';

/** seed 000 §4: a listing cannot be offered without saying how and when licenses are issued. */
export interface LicensePolicy {
  softwareType: string;
  licenseType: string;
  trigger: LicenseTrigger;
}

export interface Listing {
  id: string;
  developerAccountId: string;
  softwareId: string;
  name: string;
  description: string;
  category: SoftwareCategory;
  compatibleDevices: string;
  versionScoping: VersionScoping;
  licensePolicy: LicensePolicy;
  status: ListingStatus;
  latestVersion: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface ListingVersion {
  id: string;
  listingId: string;
  version: string;
  major: number;
  releaseNotes: string;
  publishedBy: string;
  publishedAt: Date;
}

/** `3`, `3.1`, `3.1.0`, `3.1.0-rc.1+build.5`: a leading major number is what version scoping needs. */
export const VERSION_PATTERN = /^(\d{1,9})(\.\d{1,9}){0,3}([-+][0-9A-Za-z.-]+)?$/;

export function majorOf(version: string): number {
  const match = VERSION_PATTERN.exec(version);
  if (!match) throw new Error(`not a version: ${version}`);
  return Number(match[1]);
}

/** The later of two versions in natural order (`3.10` after `3.9`). */
export function laterVersion(current: string | null, next: string): string {
  return current === null || compareNatural(next, current) > 0 ? next : current;
}

/**
 * What a "Get" of `version` covers under the listing's scoping (seed 000 §3 "Version Scoping"):
 * every version, the version's major line, or that exact version. Two Gets with the same
 * coverage are the same grant.
 */
export function coverageOf(scoping: VersionScoping, version: string): string {
  switch (scoping) {
    case 'all':
      return 'all';
    case 'major':
      return `major:${majorOf(version)}`;
    case 'exact':
      return `exact:${version}`;
  }
}

/** Once published, what Get holders and TrustMint rely on no longer changes. */
export const LOCKED_WHEN_PUBLISHED = ['softwareId', 'category', 'versionScoping', 'licensePolicy'] as const;
