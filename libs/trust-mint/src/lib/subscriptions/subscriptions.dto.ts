import { z } from 'zod';
import { ALL_TRUST_MINT_PERMISSIONS } from '../core/trust-mint.permissions.js';
import { TRUST_MINT_ROLES } from './domain/roles.js';
import type { Subscription } from './domain/subscription.js';

export const declareRolesBodySchema = z
  .object({
    roles: z.array(z.enum(TRUST_MINT_ROLES)).min(1).max(TRUST_MINT_ROLES.length),
    /** Platform admins only: subscribe this account instead of their own. */
    accountId: z.string().min(1).max(200).optional(),
  })
  .strict()
  .meta({ id: 'TrustMintSubscriptionRequest' });
export type DeclareRolesBody = z.output<typeof declareRolesBodySchema>;

export const overrideBoundaryBodySchema = z
  .object({
    /** The boundary to impose, or null to go back to the one the roles give. */
    permissions: z
      .array(z.enum(ALL_TRUST_MINT_PERMISSIONS as [string, ...string[]]))
      .max(ALL_TRUST_MINT_PERMISSIONS.length)
      .nullable(),
  })
  .strict()
  .meta({ id: 'PermissionBoundaryOverride' });
export type OverrideBoundaryBody = z.output<typeof overrideBoundaryBodySchema>;

export const accountIdParamsSchema = z.object({ accountId: z.string().min(1).max(200) });
export type AccountIdParams = z.output<typeof accountIdParamsSchema>;

export const subscriptionResponseSchema = z
  .object({
    accountId: z.string(),
    roles: z.array(z.enum(TRUST_MINT_ROLES)),
    permissions: z.array(z.string()),
    overridden: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TrustMintSubscription' });
export type SubscriptionResponse = z.output<typeof subscriptionResponseSchema>;

export function toSubscriptionResponse(subscription: Subscription): SubscriptionResponse {
  return {
    accountId: subscription.accountId,
    roles: subscription.roles,
    permissions: subscription.permissions,
    overridden: subscription.overridden,
    createdAt: subscription.createdAt.toISOString(),
    updatedAt: subscription.updatedAt.toISOString(),
  };
}
