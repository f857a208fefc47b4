/**
 * The permission vocabulary of seed 001's boundaries. Every TrustMint endpoint names the ones it
 * accepts; a caller passes when its account's boundary and its token share one of them.
 */
export const TrustMintPermission = {
  devicesRead: 'devices.read',
  devicesWrite: 'devices.write',
  eventsRead: 'events.read',
  certificatesRead: 'certificates.read',
  approvalsRead: 'approvals.read',
  approvalsWrite: 'approvals.write',
  licensesRead: 'licenses.read',
} as const;

export type TrustMintPermissionName = (typeof TrustMintPermission)[keyof typeof TrustMintPermission];

export const ALL_TRUST_MINT_PERMISSIONS: readonly TrustMintPermissionName[] = Object.values(TrustMintPermission);

/**
 * Held by the token of whoever subscribes an account to TrustMint (an account administrator).
 * Checked on the token alone: before the subscription there is no boundary to intersect with.
 */
export const SUBSCRIBE_PERMISSION = 'trust-mint.subscribe';
