import type { TrustMintRole } from './roles.js';

/** An account's TrustMint subscription (seed 001 "Permission Boundary Model"). */
export interface Subscription {
  accountId: string;
  roles: TrustMintRole[];
  /** The permission boundary: derived from the roles unless a platform admin overrode it. */
  permissions: string[];
  overridden: boolean;
  /** How many times the roles were declared: the version of trust_mint.roles.declared. */
  rolesVersion: number;
  createdAt: Date;
  updatedAt: Date;
}
