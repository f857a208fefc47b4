import { randomUUID } from 'node:crypto';
import { readScope, type ReadScope } from '@flexgalaxy/auth';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { AccountFixtures } from '../../../test/builders.js';
import { AccountsRepository } from './accounts.repository.js';
import type { Account } from './domain/account.js';

const subtreeOf = (account: Account): ReadScope =>
  readScope({ accountId: account.id, path: account.path, isPlatformAdmin: false });

describe.each(DRIVERS)('AccountsRepository on %s', (driver) => {
  let db: TestDatabase;
  let sut: AccountsRepository;
  let robomake: Account;
  let china: Account;
  let japan: Account;
  let warehouseA: Account;
  let factoryB: Account;
  let syriussoft: Account;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    sut = new AccountsRepository(db.prisma);
    const fixtures = new AccountFixtures(db.prisma);
    robomake = await fixtures.root('RoboMake', 'maker');
    china = await fixtures.child(robomake, 'China Distributor', 'member');
    japan = await fixtures.child(robomake, 'Japan Distributor', 'member');
    warehouseA = await fixtures.child(japan, 'Warehouse A', 'end_user');
    factoryB = await fixtures.child(japan, 'Factory B', 'end_user');
    syriussoft = await fixtures.root('SyriusSoft', 'developer');
  });
  afterAll(() => db.close());

  const names = (accounts: Account[]) => accounts.map((account) => account.name).sort();

  describe('listVisible', () => {
    it.each([
      {
        viewer: 'RoboMake',
        of: () => robomake,
        expected: ['China Distributor', 'Factory B', 'Japan Distributor', 'RoboMake', 'Warehouse A'],
      },
      { viewer: 'Japan', of: () => japan, expected: ['Factory B', 'Japan Distributor', 'Warehouse A'] },
      { viewer: 'China', of: () => china, expected: ['China Distributor'] },
      { viewer: 'Warehouse A', of: () => warehouseA, expected: ['Warehouse A'] },
      { viewer: 'SyriusSoft', of: () => syriussoft, expected: ['SyriusSoft'] },
    ])('should give $viewer its own account and its descendants only', async ({ of, expected }) => {
      const page = await sut.listVisible(subtreeOf(of()), { after: null, limit: 50 });
      expect(names(page.items)).toEqual(expected);
      expect(page.total).toBe(expected.length);
    });

    it('should give a platform admin every account', async () => {
      const page = await sut.listVisible({ kind: 'all' }, { after: null, limit: 50 });
      expect(page.total).toBe(6);
    });

    it('should give an account org does not know nothing', async () => {
      const page = await sut.listVisible({ kind: 'own', accountId: 'ghost' }, { after: null, limit: 50 });
      expect(page).toEqual({ items: [], total: 0, nextCursor: null });
    });

    it('should page through the subtree with a cursor, each account once', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const page = await sut.listVisible(subtreeOf(robomake), { after, limit: 2 });
        seen.push(...page.items.map((account) => account.id));
        expect(page.total).toBe(5);
        if (!page.nextCursor) break;
        after = seen.at(-1) ?? null;
      }
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    });
  });

  describe('findVisible', () => {
    it.each([
      { what: 'its own account', viewer: () => japan, target: () => japan, visible: true },
      { what: "a child's account", viewer: () => japan, target: () => warehouseA, visible: true },
      { what: "a sibling's account", viewer: () => japan, target: () => china, visible: false },
      { what: "the parent's account", viewer: () => japan, target: () => robomake, visible: false },
      { what: "a sibling end user's account", viewer: () => warehouseA, target: () => factoryB, visible: false },
      { what: "another organisation's account", viewer: () => syriussoft, target: () => robomake, visible: false },
    ])('should answer $visible for $what', async ({ viewer, target, visible }) => {
      const found = await sut.findVisible(subtreeOf(viewer()), target().id);
      expect(found?.id ?? null).toBe(visible ? target().id : null);
    });

    it('should answer null for an id that does not exist', async () => {
      expect(await sut.findVisible({ kind: 'all' }, randomUUID())).toBeNull();
    });
  });

  describe('listVisibleChildren', () => {
    it("should list an account's direct children only", async () => {
      const page = await sut.listVisibleChildren(subtreeOf(robomake), robomake.id, { after: null, limit: 50 });
      expect(names(page.items)).toEqual(['China Distributor', 'Japan Distributor']);
    });
  });

  describe('findPathOf', () => {
    it("should return the account's materialized path", async () => {
      expect(await sut.findPathOf(warehouseA.id)).toBe(`/${robomake.id}/${japan.id}/${warehouseA.id}/`);
      expect(await sut.findPathOf('ghost')).toBeNull();
    });
  });

  it('should be able to answer a subtree query from the path prefix index', async () => {
    const plan = await db.connection.sql.transaction(async (tx) => {
      // Six rows would always be scanned; forbidding that shows the index can serve the query.
      await tx.exec('SET LOCAL enable_seqscan = off');
      return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT id FROM "org"."accounts" WHERE "path" LIKE $1`, [
        `${japan.path}%`,
      ]);
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('accounts_path_prefix_idx');
  });
});
