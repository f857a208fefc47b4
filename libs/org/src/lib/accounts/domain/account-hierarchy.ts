import { accountPath, childAccountPath } from '@flexgalaxy/auth';
import { InvalidAccountHierarchyError } from '../accounts.errors.js';
import type { Account, AccountKind, NewAccount } from './account.js';

/**
 * seed 000 "Account Hierarchy": a developer, a maker (organisation root) or a standalone end user
 * stands alone; distributors are members under a maker; end users may sit under a member
 * (Warehouse A and Factory B under Japan). `platform` accounts are the operator's own and are
 * never created through the API.
 */
export const TOP_LEVEL_KINDS = ['developer', 'maker', 'end_user'] as const satisfies readonly AccountKind[];

export const CHILD_KINDS_BY_PARENT: Readonly<Record<AccountKind, readonly AccountKind[]>> = {
  maker: ['member'],
  member: ['end_user'],
  developer: [],
  end_user: [],
  platform: [],
};

/** Every kind some parent may hold as a child, for request validation. */
export const CHILD_KINDS = ['member', 'end_user'] as const satisfies readonly AccountKind[];

export interface AccountDraft {
  id: string;
  name: string;
  kind: AccountKind;
}

export function planTopLevelAccount(draft: AccountDraft): NewAccount {
  if (!(TOP_LEVEL_KINDS as readonly AccountKind[]).includes(draft.kind)) {
    throw new InvalidAccountHierarchyError(draft.kind, null, TOP_LEVEL_KINDS);
  }
  return { ...draft, parentId: null, orgRootId: draft.id, path: accountPath([], draft.id), depth: 0 };
}

export function planChildAccount(parent: Account, draft: AccountDraft): NewAccount {
  const allowed = CHILD_KINDS_BY_PARENT[parent.kind];
  if (!allowed.includes(draft.kind)) throw new InvalidAccountHierarchyError(draft.kind, parent.kind, allowed);
  return {
    ...draft,
    parentId: parent.id,
    orgRootId: parent.orgRootId,
    path: childAccountPath(parent.path, draft.id),
    depth: parent.depth + 1,
  };
}
