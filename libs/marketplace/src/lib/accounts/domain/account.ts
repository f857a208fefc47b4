/** An account as org.account.created announced it: enough to tell an org root from a member. */
export interface KnownAccount {
  id: string;
  kind: string;
  parentId: string | null;
  orgRootId: string;
}

/** seed 000 §3: an org-wide "Get" is made from the org root account, never from a member. */
export function isOrgRoot(account: KnownAccount): boolean {
  return account.parentId === null && account.orgRootId === account.id;
}

/** Who publishes listings: software developers, and makers for their own device-bound software. */
export const PUBLISHER_KINDS: readonly string[] = ['developer', 'maker'];
