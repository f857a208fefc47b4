export type LicenseType = 'TRIAL' | 'OFFICIAL';
export type LicenseStatus = 'ACTIVE' | 'REVOKED' | 'SUPERSEDED';

/** A license as issued: its certificate and JWT never change; only the status moves on. */
export interface License {
  id: string;
  serialNumber: string;
  accountId: string;
  deviceId: string | null;
  softwareId: string;
  softwareVersion: string | null;
  type: LicenseType;
  /** The listing policy's license type ("per-device perpetual", …) for policy-issued licenses. */
  policyLicenseType: string | null;
  /** What issued it: enrollment, upgrade, or the listing's trigger (on_install, …). */
  trigger: string;
  status: LicenseStatus;
  certificatePem: string;
  token: string;
  issuedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  supersededById: string | null;
}

/** What a device asking "may I run this?" is told. */
export type LicenseValidity = 'valid' | 'revoked' | 'expired';

export interface LicenseVerdict {
  validity: LicenseValidity;
  reason: string | null;
  /** The license that replaced a superseded one (TRIAL → OFFICIAL). */
  replacedBy: string | null;
}

/** The verdict at `now`: revocation wins over expiry; a superseded TRIAL is no longer valid. */
export function verdictOf(license: License, now: Date): LicenseVerdict {
  if (license.status === 'REVOKED') return { validity: 'revoked', reason: license.revokedReason, replacedBy: null };
  if (license.status === 'SUPERSEDED') {
    return { validity: 'revoked', reason: 'superseded', replacedBy: license.supersededById };
  }
  if (license.expiresAt && license.expiresAt.getTime() <= now.getTime()) {
    return { validity: 'expired', reason: null, replacedBy: null };
  }
  return { validity: 'valid', reason: null, replacedBy: null };
}

/** The license a device should present for a software: valid OFFICIAL first, then valid TRIAL, then the newest. */
export function bestOf(licenses: readonly License[], now: Date): License | null {
  const rank = (license: License) => {
    const valid = verdictOf(license, now).validity === 'valid';
    return (valid ? 2 : 0) + (license.type === 'OFFICIAL' ? 1 : 0);
  };
  return [...licenses].sort((a, b) => rank(b) - rank(a) || b.issuedAt.getTime() - a.issuedAt.getTime())[0] ?? null;
}
