import { z } from 'zod';
import { defineEvent } from './envelope.js';

/**
 * seed 001 "Permission Boundary Model": an account declared (or changed) its TrustMint roles. The
 * identity side turns the set into the `roles` claim of the account's tokens. `version` grows with
 * every declaration of the account, so a late redelivery never replaces a newer set.
 */
export const trustMintRolesDeclared = defineEvent(
  'trust_mint.roles.declared',
  1,
  z.object({
    accountId: z.string().min(1),
    version: z.number().int().positive(),
    /** The complete set: a role left out is no longer held. */
    roles: z.array(
      z.object({
        name: z.string().min(1),
        /** The role's permission boundary. */
        permissions: z.array(z.string().min(1)),
      }),
    ),
  }),
);
