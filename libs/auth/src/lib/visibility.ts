/**
 * The one visibility rule of the platform (seed 000 §5 "Visibility Rules"): an account reads its
 * own resources and, read-only, those of its descendants; never a sibling's, never an ancestor's.
 * It writes only its own. Platform administrators read and write everything.
 *
 * The hierarchy is carried as a materialized ancestor path, "/rootId/…/parentId/accountId/", so
 * "own or descendant" is a string prefix test that a database answers from an index
 * (`path LIKE '/root/…/me/%'`). These functions are pure; repositories turn a {@link ReadScope}
 * into the WHERE clause of their query, so nothing is ever filtered after the fact.
 */

/** Separates account ids in a path; an account id can therefore never contain it. */
const SEPARATOR = '/';

/** Who is looking, as far as visibility is concerned. */
export interface Viewer {
  accountId: string;
  /** The viewer's account path, or null when the account is unknown to the org hierarchy. */
  path: string | null;
  isPlatformAdmin: boolean;
}

/** Who owns a resource: its account and that account's path (null while the account is unknown). */
export interface Owner {
  accountId: string;
  path: string | null;
}

/**
 * What a viewer may read, in the form a repository can put in its WHERE clause:
 * - `all`: platform administrators;
 * - `subtree`: resources whose owner path starts with `pathPrefix` (own and descendants');
 * - `own`: a viewer whose account the hierarchy does not know reads only what it owns outright.
 */
export type ReadScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'subtree'; readonly pathPrefix: string }
  | { readonly kind: 'own'; readonly accountId: string };

export class InvalidAccountIdError extends Error {
  constructor(accountId: string) {
    super(`account id ${JSON.stringify(accountId)} cannot appear in an account path`);
  }
}

function assertPathSegment(accountId: string): void {
  if (accountId.length === 0 || accountId.includes(SEPARATOR) || accountId.includes('%') || accountId.includes('_')) {
    // '%' and '_' are LIKE wildcards: allowing them would widen a prefix match.
    throw new InvalidAccountIdError(accountId);
  }
}

/** The path of an account from its ancestors' ids (root first) and its own id. */
export function accountPath(ancestorIds: readonly string[], accountId: string): string {
  const ids = [...ancestorIds, accountId];
  ids.forEach(assertPathSegment);
  return `${SEPARATOR}${ids.join(SEPARATOR)}${SEPARATOR}`;
}

/** The path of a new child under a parent whose path is known. */
export function childAccountPath(parentPath: string, childId: string): string {
  return accountPath(ancestorIdsOf(parentPath, { includeSelf: true }), childId);
}

/** Ids on a path, root first; without `includeSelf` the last (the account itself) is left out. */
export function ancestorIdsOf(path: string, options: { includeSelf?: boolean } = {}): string[] {
  if (!isAccountPath(path)) throw new Error(`not an account path: ${path}`);
  const ids = path.slice(1, -1).split(SEPARATOR);
  return options.includeSelf ? ids : ids.slice(0, -1);
}

export function isAccountPath(path: string): boolean {
  return /^\/(?:[^/%_]+\/)+$/.test(path);
}

/** True when `path` is `viewerPath` itself or lies below it. Siblings and ancestors are false. */
export function isSameOrDescendantPath(viewerPath: string, path: string): boolean {
  return path.startsWith(viewerPath);
}

/**
 * Own or descendant (read-only) resources; platform admins read everything. Mirrors
 * {@link readScope} exactly, so what this answers is what a scoped query returns.
 */
export function canRead(viewer: Viewer, owner: Owner): boolean {
  const scope = readScope(viewer);
  switch (scope.kind) {
    case 'all':
      return true;
    case 'subtree':
      // An owner the hierarchy has not placed yet (path null) is in nobody's subtree.
      return owner.path !== null && isSameOrDescendantPath(scope.pathPrefix, owner.path);
    case 'own':
      return owner.accountId === scope.accountId;
  }
}

/** Only the owning account (or a platform admin) changes a resource; descendants are read-only. */
export function canWrite(viewer: Pick<Viewer, 'accountId' | 'isPlatformAdmin'>, ownerAccountId: string): boolean {
  return viewer.isPlatformAdmin || viewer.accountId === ownerAccountId;
}

/** The scope a repository must apply for this viewer (see {@link ReadScope}). */
export function readScope(viewer: Viewer): ReadScope {
  if (viewer.isPlatformAdmin) return { kind: 'all' };
  if (viewer.path !== null) return { kind: 'subtree', pathPrefix: viewer.path };
  return { kind: 'own', accountId: viewer.accountId };
}
