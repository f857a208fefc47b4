import { randomUUID } from 'node:crypto';
import type { Tx } from '@flexgalaxy/db';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { ActivePolicySetCache } from './active-policy-set.cache.js';
import { PoliciesRepository } from './policies.repository.js';

const robot = { type: 'amr', model: 'M7', revision: 'r3' };

describe.each(DRIVERS)(`${ActivePolicySetCache.name} on %s`, (driver) => {
  let db: TestDatabase;
  let sut: ActivePolicySetCache;
  // What another process does: plain SQL on the same database, bypassing this process entirely.
  const sql = (text: string, params: unknown[] = []) => db.connection.sql.query(text, params);
  const matchedIds = (tx: Tx) => sut.current(tx).then((set) => set.matching(robot, new Map()).map((p) => p.id));
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => db.prisma.$transaction(work);

  async function addPolicy(expression: string): Promise<string> {
    const id = randomUUID();
    await sql(
      `INSERT INTO "ota"."policies" ("id", "owner_account_id", "name", "target_expression", "distribution_set_id",
                                     "category", "action_type", "updated_at")
       VALUES ($1::uuid, 'acc-maker', $1, $2, 1, 'device_bound', 'forced', now())`,
      [id, expression],
    );
    return id;
  }

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    sut = new ActivePolicySetCache(new PoliciesRepository(db.prisma));
    await sql(
      `INSERT INTO "ota"."distribution_sets" ("id", "owner_account_id", "name", "version") VALUES (1, 'acc-maker', 'RoboOS', '1.0')`,
    );
  });
  afterAll(() => db?.close());
  beforeEach(() => sql(`DELETE FROM "ota"."policies"`));

  describe('current', () => {
    it('should reuse the compiled set while the active policies are unchanged', async () => {
      const id = await addPolicy('model = "M7"');
      const first = await inTx((tx) => sut.current(tx));
      const second = await inTx((tx) => sut.current(tx));
      expect(second).toBe(first);
      expect(second.matching(robot, new Map()).map((p) => p.id)).toEqual([id]);
    });

    it("should not use a cached predicate after the policy's expression changed elsewhere", async () => {
      const id = await addPolicy('model = "M7"');
      expect(await inTx(matchedIds)).toEqual([id]);
      await sql(`UPDATE "ota"."policies" SET "target_expression" = 'model = "M8"' WHERE "id" = $1::uuid`, [id]);
      expect(await inTx(matchedIds)).toEqual([]);
      // Even an update that leaves the text as it was is a new version: the set is reloaded.
      const before = await inTx((tx) => sut.current(tx));
      await sql(`UPDATE "ota"."policies" SET "current_wave" = "current_wave" WHERE "id" = $1::uuid`, [id]);
      expect(await inTx((tx) => sut.current(tx))).not.toBe(before);
    });

    it('should see policies added, paused and deleted elsewhere', async () => {
      const first = await addPolicy('model = "M7"');
      expect(await inTx(matchedIds)).toEqual([first]);
      const second = await addPolicy('type = "amr"');
      expect(await inTx(matchedIds)).toEqual([first, second]);
      await sql(`UPDATE "ota"."policies" SET "status" = 'paused' WHERE "id" = $1::uuid`, [first]);
      expect(await inTx(matchedIds)).toEqual([second]);
      await sql(`DELETE FROM "ota"."policies" WHERE "id" = $1::uuid`, [second]);
      expect(await inTx(matchedIds)).toEqual([]);
    });

    it('should not keep a set read inside a transaction that rolled back', async () => {
      const id = await addPolicy('model = "M7"');
      await expect(
        inTx(async (tx) => {
          await tx.$executeRawUnsafe(`UPDATE "ota"."policies" SET "target_expression" = 'model = "M9"'`);
          expect(await matchedIds(tx)).toEqual([]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await inTx(matchedIds)).toEqual([id]);
    });
  });
});
