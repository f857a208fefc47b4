import { InvalidAccountHierarchyError } from '../accounts.errors.js';
import type { Account, AccountKind } from './account.js';
import { planChildAccount, planTopLevelAccount } from './account-hierarchy.js';

function account(kind: AccountKind, path: string): Account {
  const id = path.split('/').at(-2) ?? '';
  return {
    id,
    name: id,
    kind,
    parentId: null,
    orgRootId: path.split('/')[1] ?? id,
    path,
    depth: path.split('/').length - 3,
    createdAt: new Date(0),
  };
}

describe('account hierarchy', () => {
  describe('planTopLevelAccount', () => {
    it.each(['developer', 'maker', 'end_user'] as const)('should root a %s account at itself', (kind) => {
      expect(planTopLevelAccount({ id: 'a1', name: 'A', kind })).toEqual({
        id: 'a1',
        name: 'A',
        kind,
        parentId: null,
        orgRootId: 'a1',
        path: '/a1/',
        depth: 0,
      });
    });

    it.each(['member', 'platform'] as const)('should refuse a top-level %s account', (kind) => {
      expect(() => planTopLevelAccount({ id: 'a1', name: 'A', kind })).toThrow(InvalidAccountHierarchyError);
    });
  });

  describe('planChildAccount', () => {
    const robomake = account('maker', '/robomake/');
    const japan = { ...account('member', '/robomake/japan/'), parentId: 'robomake', orgRootId: 'robomake' };

    it.each([
      { parent: robomake, kind: 'member' as const, path: '/robomake/c1/', depth: 1 },
      { parent: japan, kind: 'end_user' as const, path: '/robomake/japan/c1/', depth: 2 },
    ])('should place a $kind under a $parent.kind below its parent', ({ parent, kind, path, depth }) => {
      expect(planChildAccount(parent, { id: 'c1', name: 'C', kind })).toEqual({
        id: 'c1',
        name: 'C',
        kind,
        parentId: parent.id,
        orgRootId: 'robomake',
        path,
        depth,
      });
    });

    it.each([
      { parentKind: 'maker', kind: 'end_user' },
      { parentKind: 'maker', kind: 'maker' },
      { parentKind: 'member', kind: 'member' },
      { parentKind: 'end_user', kind: 'end_user' },
      { parentKind: 'developer', kind: 'member' },
      { parentKind: 'platform', kind: 'member' },
    ] as const)('should refuse a $kind under a $parentKind', ({ parentKind, kind }) => {
      const parent = account(parentKind, '/p1/');
      const attempt = () => planChildAccount(parent, { id: 'c1', name: 'C', kind });
      expect(attempt).toThrow(InvalidAccountHierarchyError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'ACCOUNT.INVALID_HIERARCHY' }));
    });
  });
});
