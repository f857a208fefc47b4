import {
  accountPath,
  ancestorIdsOf,
  canRead,
  canWrite,
  childAccountPath,
  InvalidAccountIdError,
  readScope,
  type Viewer,
} from './visibility.js';

// seed 000 "Account Hierarchy": RoboMake → Japan → Warehouse A / Factory B, China beside Japan.
const ROBOMAKE = accountPath([], 'robomake');
const CHINA = childAccountPath(ROBOMAKE, 'china');
const JAPAN = childAccountPath(ROBOMAKE, 'japan');
const WAREHOUSE_A = childAccountPath(JAPAN, 'warehouse-a');
const FACTORY_B = childAccountPath(JAPAN, 'factory-b');
const SYRIUSSOFT = accountPath([], 'syriussoft');
// An id that prefixes "japan": a startsWith without the trailing separator would wrongly match.
const JAP = childAccountPath(ROBOMAKE, 'jap');

const placed = (path: string): Viewer => ({
  accountId: ancestorIdsOf(path, { includeSelf: true }).at(-1) ?? '',
  path,
  isPlatformAdmin: false,
});
const unplaced = (accountId: string): Viewer => ({ accountId, path: null, isPlatformAdmin: false });
const ADMIN: Viewer = { accountId: 'platform', path: null, isPlatformAdmin: true };
const ownerAt = (path: string) => ({ accountId: ancestorIdsOf(path, { includeSelf: true }).at(-1) ?? '', path });

describe('visibility', () => {
  describe('accountPath', () => {
    it('should list the root first and end with a separator', () => {
      expect(WAREHOUSE_A).toBe('/robomake/japan/warehouse-a/');
      expect(ancestorIdsOf(WAREHOUSE_A)).toEqual(['robomake', 'japan']);
      expect(ancestorIdsOf(WAREHOUSE_A, { includeSelf: true })).toEqual(['robomake', 'japan', 'warehouse-a']);
    });

    // '/' would forge a level; '%' and '_' are LIKE wildcards that would widen a prefix match.
    it.each(['a/b', '', 'a%', 'a_b'])('should refuse the account id %j', (id) => {
      expect(() => accountPath([], id)).toThrow(InvalidAccountIdError);
    });
  });

  describe('canRead', () => {
    it.each([
      { reader: 'RoboMake', owner: 'RoboMake (own)', viewer: placed(ROBOMAKE), ownerPath: ROBOMAKE, expected: true },
      { reader: 'RoboMake', owner: 'China (child)', viewer: placed(ROBOMAKE), ownerPath: CHINA, expected: true },
      {
        reader: 'RoboMake',
        owner: 'Warehouse A (grandchild)',
        viewer: placed(ROBOMAKE),
        ownerPath: WAREHOUSE_A,
        expected: true,
      },
      { reader: 'Japan', owner: 'Warehouse A (child)', viewer: placed(JAPAN), ownerPath: WAREHOUSE_A, expected: true },
      { reader: 'Japan', owner: 'Factory B (child)', viewer: placed(JAPAN), ownerPath: FACTORY_B, expected: true },
      { reader: 'Japan', owner: 'China (sibling)', viewer: placed(JAPAN), ownerPath: CHINA, expected: false },
      { reader: 'Japan', owner: 'RoboMake (parent)', viewer: placed(JAPAN), ownerPath: ROBOMAKE, expected: false },
      { reader: '"jap"', owner: 'Japan (id it prefixes)', viewer: placed(JAP), ownerPath: JAPAN, expected: false },
      {
        reader: 'Warehouse A',
        owner: 'Factory B (sibling)',
        viewer: placed(WAREHOUSE_A),
        ownerPath: FACTORY_B,
        expected: false,
      },
      {
        reader: 'Warehouse A',
        owner: 'Japan (parent)',
        viewer: placed(WAREHOUSE_A),
        ownerPath: JAPAN,
        expected: false,
      },
      {
        reader: 'Warehouse A',
        owner: 'RoboMake (grandparent)',
        viewer: placed(WAREHOUSE_A),
        ownerPath: ROBOMAKE,
        expected: false,
      },
      {
        reader: 'SyriusSoft',
        owner: 'RoboMake (other org)',
        viewer: placed(SYRIUSSOFT),
        ownerPath: ROBOMAKE,
        expected: false,
      },
      { reader: 'a platform admin', owner: 'Warehouse A', viewer: ADMIN, ownerPath: WAREHOUSE_A, expected: true },
    ])('should answer $expected for $reader reading $owner', ({ viewer, ownerPath, expected }) => {
      expect(canRead(viewer, ownerAt(ownerPath))).toBe(expected);
    });

    it.each([
      { reader: 'an unplaced account', owner: 'itself', viewer: unplaced('ghost'), ownerId: 'ghost', expected: true },
      {
        reader: 'an unplaced account',
        owner: 'another account',
        viewer: unplaced('ghost'),
        ownerId: 'other',
        expected: false,
      },
      {
        reader: 'a placed account',
        owner: 'itself, not placed yet',
        viewer: placed(JAPAN),
        ownerId: 'japan',
        expected: false,
      },
      { reader: 'a platform admin', owner: 'an unplaced account', viewer: ADMIN, ownerId: 'ghost', expected: true },
    ])('should answer $expected for $reader reading $owner (owner path unknown)', ({ viewer, ownerId, expected }) => {
      expect(canRead(viewer, { accountId: ownerId, path: null })).toBe(expected);
    });
  });

  describe('canWrite', () => {
    it.each([
      { writer: 'Japan', owner: 'japan', expected: true, viewer: placed(JAPAN) },
      { writer: 'Japan', owner: 'warehouse-a', expected: false, viewer: placed(JAPAN) },
      { writer: 'Japan', owner: 'robomake', expected: false, viewer: placed(JAPAN) },
      { writer: 'Japan', owner: 'china', expected: false, viewer: placed(JAPAN) },
      { writer: 'a platform admin', owner: 'warehouse-a', expected: true, viewer: ADMIN },
    ])('should answer $expected for $writer writing what $owner owns', ({ viewer, owner, expected }) => {
      expect(canWrite(viewer, owner)).toBe(expected);
    });
  });

  describe('readScope', () => {
    it.each([
      { who: 'a platform admin', viewer: { ...placed(ROBOMAKE), isPlatformAdmin: true }, expected: { kind: 'all' } },
      { who: 'a placed account', viewer: placed(JAPAN), expected: { kind: 'subtree', pathPrefix: JAPAN } },
      { who: 'an unplaced account', viewer: unplaced('ghost'), expected: { kind: 'own', accountId: 'ghost' } },
    ])('should scope $who to $expected.kind', ({ viewer, expected }) => {
      expect(readScope(viewer)).toEqual(expected);
    });
  });
});
