import { accountKindSchema } from '@flexgalaxy/contracts';
import { z } from 'zod';
import { pageQueryShape, countedPageResponseSchema, type CountedPage } from '@flexgalaxy/service-kit';
import type { VisibleAccount } from './accounts.service.js';
import { CHILD_KINDS, TOP_LEVEL_KINDS } from './domain/account-hierarchy.js';

const accountName = z.string().trim().min(1).max(200);

export const createAccountBodySchema = z
  .object({ name: accountName, kind: z.enum(TOP_LEVEL_KINDS) })
  .strict()
  .meta({ id: 'CreateAccountRequest' });
export type CreateAccountBody = z.output<typeof createAccountBodySchema>;

// Which child kind fits which parent is a domain rule (ACCOUNT.INVALID_HIERARCHY); the schema
// only refuses kinds that can never be a child.
export const createChildAccountBodySchema = z
  .object({ name: accountName, kind: z.enum(CHILD_KINDS) })
  .strict()
  .meta({ id: 'CreateChildAccountRequest' });
export type CreateChildAccountBody = z.output<typeof createChildAccountBodySchema>;

export const accountIdParamsSchema = z.object({ id: z.uuid() });
export type AccountIdParams = z.output<typeof accountIdParamsSchema>;

export const listAccountsQuerySchema = z.object(pageQueryShape);
export type ListAccountsQuery = z.output<typeof listAccountsQuerySchema>;

export const accountResponseSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: accountKindSchema,
    parentId: z.string().nullable(),
    orgRootId: z.string(),
    depth: z.number().int(),
    /** True when the caller sees this account through an ancestor: it may read, not change it. */
    readOnly: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Account' });
export type AccountResponse = z.output<typeof accountResponseSchema>;

export const accountPageResponseSchema = countedPageResponseSchema(accountResponseSchema, 'AccountPage');
export type AccountPageResponse = z.output<typeof accountPageResponseSchema>;

// The path stays internal: it would spell out every ancestor of a descendant's account.
export function toAccountResponse(account: VisibleAccount): AccountResponse {
  return {
    id: account.id,
    name: account.name,
    kind: account.kind,
    parentId: account.parentId,
    orgRootId: account.orgRootId,
    depth: account.depth,
    readOnly: account.readOnly,
    createdAt: account.createdAt.toISOString(),
  };
}

export function toAccountPageResponse(page: CountedPage<VisibleAccount>): AccountPageResponse {
  return { items: page.items.map(toAccountResponse), total: page.total, nextCursor: page.nextCursor };
}
