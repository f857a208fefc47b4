import { TrustMintPermission, type TrustMintPermissionName } from '../../core/trust-mint.permissions.js';

/** seed 001 "Roles": what an account declares when it subscribes to TrustMint. */
export const TRUST_MINT_ROLES = ['DEVICE_MANUFACTURER', 'LICENSE_MANAGER'] as const;
export type TrustMintRole = (typeof TRUST_MINT_ROLES)[number];

/** seed 001 "Permission Boundary Model": the managed policy set each role declaration assigns. */
export const ROLE_BOUNDARIES: Record<TrustMintRole, readonly TrustMintPermissionName[]> = {
  DEVICE_MANUFACTURER: [
    TrustMintPermission.devicesRead,
    TrustMintPermission.devicesWrite,
    TrustMintPermission.eventsRead,
    TrustMintPermission.certificatesRead,
  ],
  LICENSE_MANAGER: [
    TrustMintPermission.approvalsRead,
    TrustMintPermission.approvalsWrite,
    TrustMintPermission.devicesRead,
    TrustMintPermission.licensesRead,
  ],
};

/** The boundary of a set of roles: the union of their permission sets, sorted, without repeats. */
export function boundaryOf(roles: readonly TrustMintRole[]): TrustMintPermissionName[] {
  return [...new Set(roles.flatMap((role) => ROLE_BOUNDARIES[role]))].sort();
}

/**
 * What a caller may do: its account's boundary intersected with its token's permissions. A token
 * never widens the boundary, and a boundary never grants what the token does not carry.
 */
export function effectivePermissions(boundary: readonly string[], token: ReadonlySet<string>): Set<string> {
  return new Set(boundary.filter((permission) => token.has(permission)));
}
