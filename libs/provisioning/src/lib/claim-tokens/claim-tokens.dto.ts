import { deviceTypeSchema } from '@flexgalaxy/contracts';
import { z } from 'zod';
import { CLAIM_TOKEN_KINDS, PRIORITIES } from './domain/claim-token-rules.js';
import type { StoredClaimToken } from './claim-tokens.repository.js';

export const createClaimTokensBodySchema = z
  .object({
    accountId: z.string().min(1).max(128),
    deviceType: deviceTypeSchema,
    priority: z.enum(PRIORITIES).default('normal'),
    count: z.number().int().min(1).max(500).default(1),
    /** `claim`: PDAs / tablets (QR code); `pre_shared`: constrained sensors. */
    kind: z.enum(CLAIM_TOKEN_KINDS).default('claim'),
    expiresInSeconds: z.number().int().min(60).optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((body) => body.expiresInSeconds === undefined || body.expiresAt === undefined, {
    path: ['expiresAt'],
    message: 'give expiresAt or expiresInSeconds, not both',
  })
  .meta({ id: 'CreateClaimTokensRequest' });
export type CreateClaimTokensBody = z.output<typeof createClaimTokensBodySchema>;

export const listClaimTokensQuerySchema = z.object({
  account: z.string().min(1).max(128),
  after: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ListClaimTokensQuery = z.output<typeof listClaimTokensQuerySchema>;

const tokenShape = {
  id: z.string(),
  kind: z.enum(CLAIM_TOKEN_KINDS),
  accountId: z.string(),
  deviceType: z.string(),
  priority: z.enum(PRIORITIES),
  batchId: z.string(),
  expiresAt: z.iso.datetime(),
  /** The first characters, to tell printed tokens apart; never the token. */
  tokenHint: z.string(),
  createdAt: z.iso.datetime(),
};

export const createdClaimTokensResponseSchema = z
  .object({
    batchId: z.string(),
    /** Each token is shown this once: only its hash is kept. */
    tokens: z.array(z.object({ ...tokenShape, token: z.string() })),
  })
  .meta({ id: 'CreatedClaimTokens' });
export type CreatedClaimTokensResponse = z.output<typeof createdClaimTokensResponseSchema>;

export const claimTokenListResponseSchema = z
  .object({ items: z.array(z.object(tokenShape)), nextAfter: z.string().nullable() })
  .meta({ id: 'UnusedClaimTokens' });
export type ClaimTokenListResponse = z.output<typeof claimTokenListResponseSchema>;

export function toClaimTokenResponse(token: StoredClaimToken) {
  return {
    id: token.id,
    kind: token.kind,
    accountId: token.accountId,
    deviceType: token.deviceType,
    priority: token.priority,
    batchId: token.batchId,
    expiresAt: token.expiresAt.toISOString(),
    tokenHint: token.tokenHint,
    createdAt: token.createdAt.toISOString(),
  };
}
