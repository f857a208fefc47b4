import { randomUUID } from 'node:crypto';
import { eventCatalog } from '@flexgalaxy/contracts';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { storedKeys } from '@flexgalaxy/targeting';
import type { MatchingPolicy } from './domain/policy.js';
import { MatchingRepository } from './matching.repository.js';

const OWNER = 'acc-maker';

describe.each(DRIVERS)(`${MatchingRepository.name} on %s`, (driver) => {
  let db: TestDatabase;
  const sut = new MatchingRepository();
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    db.connection.sql.query<T>(text, params);

  async function addPolicy(targetExpression: string, wavePercentages: number[] = []): Promise<MatchingPolicy> {
    const policy: MatchingPolicy = {
      id: randomUUID(),
      ownerAccountId: OWNER,
      targetExpression,
      distributionSetId: 1,
      softwareName: 'RoboOS',
      softwareVersion: '2.0',
      listingId: null,
      category: 'device_bound',
      wavePercentages,
      currentWave: 0,
    };
    await sql(
      `INSERT INTO "ota"."policies" ("id", "owner_account_id", "name", "target_expression", "distribution_set_id",
                                     "category", "action_type", "wave_percentages", "updated_at")
       VALUES ($1::uuid, $2, $1, $3, 1, 'device_bound', 'forced', $4::int[], now())`,
      [policy.id, OWNER, targetExpression, wavePercentages],
    );
    return policy;
  }

  async function addTargets(model: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, index) => `${model}-${index}`);
    const keys = storedKeys({ type: 'amr', model, manufacturer: 'Acme', revision: 'r3' });
    for (const id of ids) {
      await sql(
        `INSERT INTO "ota"."targets" ("controller_id", "account_id", "org_root_id", "maker_account_id", "name", "type",
                                      "type_folded", "model", "model_folded", "revision", "revision_key", "manufacturer",
                                      "manufacturer_folded", "serial", "serial_key", "updated_at")
         VALUES ($1, $2, $2, $2, $1, 'amr', $3, $4, $5, 'r3', $6, 'Acme', $7, $1, $1, now())`,
        [id, OWNER, keys.folded.type, model, keys.folded.model, keys.sortKeys.revision, keys.folded.manufacturer],
      );
    }
    return ids;
  }

  /** The ota.action.created events of these actions, parsed as consumers read them. */
  async function eventsOf(actionIds: string[]) {
    const rows = await sql<{ account_id: string; device_id: string; payload: unknown }>(
      `SELECT "account_id", "device_id", "payload" FROM "events"."outbox"
        WHERE "type" = 'ota.action.created' AND "payload"->>'actionId' = ANY($1::text[])`,
      [actionIds],
    );
    return rows.map((row) => ({
      accountId: row.account_id,
      deviceId: row.device_id,
      payload: eventCatalog['ota.action.created'].payload.parse(row.payload),
    }));
  }

  const actionsOf = (policyId: string) =>
    sql<{ id: string; target_id: string; wave: number }>(
      `SELECT "id"::text AS "id", "target_id", "wave" FROM "ota"."actions" WHERE "policy_id" = $1::uuid ORDER BY "target_id"`,
      [policyId],
    );

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    await sql(`INSERT INTO "ota"."accounts" ("id", "org_root_id") VALUES ($1, $1)`, [OWNER]);
    await sql(
      `INSERT INTO "ota"."distribution_sets" ("id", "owner_account_id", "name", "version") VALUES (1, $1, 'RoboOS', '2.0')`,
      [OWNER],
    );
  });
  afterAll(() => db?.close());

  describe('insertAndAnnounceForTarget', () => {
    it('should create and announce each action once, and neither again on a repeat', async () => {
      const [target] = await addTargets('ONE', 1);
      const policies = [await addPolicy('model = "ONE"'), await addPolicy('type = "amr"')];
      const created = await db.prisma.$transaction((tx) =>
        sut.insertAndAnnounceForTarget(tx, { controllerId: target!, accountId: OWNER }, policies),
      );
      expect(created.map((action) => action.policyId)).toEqual(policies.map((policy) => policy.id));
      const events = await eventsOf(created.map((action) => String(action.id)));
      expect(events).toEqual(
        expect.arrayContaining(
          created.map((action) => ({
            accountId: OWNER,
            deviceId: target,
            payload: {
              actionId: String(action.id),
              deviceId: target,
              distributionSetId: '1',
              policyId: action.policyId,
              listingId: null,
              softwareVersion: '2.0',
            },
          })),
        ),
      );
      expect(events).toHaveLength(2);

      const repeated = await db.prisma.$transaction((tx) =>
        sut.insertAndAnnounceForTarget(tx, { controllerId: target!, accountId: OWNER }, policies),
      );
      expect(repeated).toEqual([]);
      expect(await eventsOf(created.map((action) => String(action.id)))).toHaveLength(2);
    });
  });

  /** The whole fleet in one chunk, as a policy over a small fleet is matched. */
  const allAtOnce = async (tx: Parameters<MatchingRepository['countCandidates']>[0], policy: MatchingPolicy) =>
    (
      await sut.insertMatching(tx, policy, {
        after: null,
        limit: 1000,
        rankOffset: 0,
        candidates: await sut.countCandidates(tx, policy),
      })
    ).created;

  describe('insertMatching', () => {
    it('should give every matching target exactly one action and one event, and nothing on a repeat', async () => {
      const targets = await addTargets('BULK', 12);
      const policy = await addPolicy('model = "BULK" AND revision >= "r3"');
      const created = await db.prisma.$transaction((tx) => allAtOnce(tx, policy));
      expect(created).toBe(targets.length);
      const actions = await actionsOf(policy.id);
      expect(actions.map((action) => action.target_id)).toEqual([...targets].sort());
      expect(actions.every((action) => action.wave === 0)).toBe(true);
      const events = await eventsOf(actions.map((action) => action.id));
      expect(events.map((event) => [event.deviceId, event.payload.actionId]).sort()).toEqual(
        actions.map((action) => [action.target_id, action.id]).sort(),
      );
      expect(await db.prisma.$transaction((tx) => allAtOnce(tx, policy))).toBe(0);
      expect(await eventsOf(actions.map((action) => action.id))).toHaveLength(targets.length);
    });

    it('should split the targets into waves in target order', async () => {
      const targets = await addTargets('WAVE', 10);
      const policy = await addPolicy('model = "WAVE"', [20, 100]);
      expect(await db.prisma.$transaction((tx) => allAtOnce(tx, policy))).toBe(targets.length);
      const byTarget = new Map((await actionsOf(policy.id)).map((action) => [action.target_id, action.wave]));
      const sorted = [...targets].sort();
      expect(sorted.map((id) => byTarget.get(id))).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    });

    it('should go through the candidates chunk after chunk in target order, ranking waves as one pass would', async () => {
      const targets = [...(await addTargets('CHUNK', 10))].sort();
      const policy = await addPolicy('model = "CHUNK"', [20, 100]);
      const candidates = await db.prisma.$transaction((tx) => sut.countCandidates(tx, policy));
      expect(candidates).toBe(10);
      const chunks = [];
      let after: string | null = null;
      let done = 0;
      do {
        const chunk = await db.prisma.$transaction((tx) =>
          sut.insertMatching(tx, policy, { after, limit: 4, rankOffset: done, candidates }),
        );
        chunks.push(chunk);
        done += chunk.selected;
        after = chunk.selected === 4 ? chunk.last : null;
      } while (after !== null);
      expect(chunks).toEqual([
        { created: 4, selected: 4, last: targets[3] },
        { created: 4, selected: 4, last: targets[7] },
        { created: 2, selected: 2, last: targets[9] },
      ]);
      const byTarget = new Map((await actionsOf(policy.id)).map((action) => [action.target_id, action.wave]));
      expect(targets.map((id) => byTarget.get(id))).toEqual([0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
      expect(await db.prisma.$transaction((tx) => sut.countCandidates(tx, policy))).toBe(0);
    });

    it("should match only one owner's targets when asked to", async () => {
      await sql(`INSERT INTO "ota"."accounts" ("id", "org_root_id") VALUES ('acc-other', 'acc-other')`);
      const own = await addTargets('OWNER', 3);
      const keys = storedKeys({ type: 'amr', model: 'OWNER', manufacturer: 'Acme', revision: 'r3' });
      await sql(
        `INSERT INTO "ota"."targets" ("controller_id", "account_id", "org_root_id", "maker_account_id", "name", "type",
                                      "type_folded", "model", "model_folded", "revision", "revision_key", "manufacturer",
                                      "manufacturer_folded", "serial", "serial_key", "updated_at")
         VALUES ('OWNER-other', 'acc-other', 'acc-other', $1, 'x', 'amr', $2, 'OWNER', $3, 'r3', $4, 'Acme', $5, 'x', 'x', now())`,
        [OWNER, keys.folded.type, keys.folded.model, keys.sortKeys.revision, keys.folded.manufacturer],
      );
      const policy = await addPolicy('model = "OWNER"');
      const chunk = await db.prisma.$transaction((tx) => sut.insertMatching(tx, policy, { onlyAccountId: OWNER }));
      expect(chunk).toEqual({ created: 3, selected: 3, last: [...own].sort()[2] });
      expect((await actionsOf(policy.id)).map((action) => action.target_id)).toEqual([...own].sort());
    });
  });
});
