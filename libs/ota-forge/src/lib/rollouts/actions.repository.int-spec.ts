import type { Tx } from '@flexgalaxy/db';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { ActionsRepository } from './actions.repository.js';

const OWNER = 'acc-maker';
const POLICY = '00000000-0000-4000-8000-000000000002';

describe.each(DRIVERS)(`${ActionsRepository.name} on %s`, (driver) => {
  let db: TestDatabase;
  let sut: ActionsRepository;
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    db.connection.sql.query<T>(text, params);

  async function addAction(status: string, attempt = 1): Promise<number> {
    const [row] = await sql<{ id: string | bigint }>(
      `INSERT INTO "ota"."actions" ("target_id", "policy_id", "distribution_set_id", "owner_account_id", "software_name",
                                    "software_version", "status", "deferred_reason", "attempt", "updated_at")
       VALUES ('robot-1', $1::uuid, 1, $2, 'RoboOS', '2.0', $3::"ota"."action_state", 'wave_not_open', $4, now())
       RETURNING "id"`,
      [POLICY, OWNER, status, attempt],
    );
    return Number(row!.id);
  }

  const stateOf = async (actionId: number) => {
    const [action] = await sql<{ status: string; deferred_reason: string | null }>(
      `SELECT "status", "deferred_reason" FROM "ota"."actions" WHERE "id" = $1`,
      [actionId],
    );
    const history = await sql<{ status: string; messages: string[] }>(
      `SELECT "status", "messages" FROM "ota"."action_status_history" WHERE "action_id" = $1 ORDER BY "id"`,
      [actionId],
    );
    return { status: action?.status, deferredReason: action?.deferred_reason, history };
  };

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    sut = new ActionsRepository(db.prisma);
    await sql(
      `INSERT INTO "ota"."targets" ("controller_id", "account_id", "maker_account_id", "name", "type", "type_folded",
                                    "manufacturer", "manufacturer_folded", "serial", "serial_key", "updated_at")
       VALUES ('robot-1', $1, $1, 'robot-1', 'amr', 'amr', 'Acme', 'acme', 'SN-1', 'SN-1', now())`,
      [OWNER],
    );
    await sql(
      `INSERT INTO "ota"."distribution_sets" ("id", "owner_account_id", "name", "version") VALUES (1, $1, 'RoboOS', '2.0')`,
      [OWNER],
    );
    await sql(
      `INSERT INTO "ota"."policies" ("id", "owner_account_id", "name", "target_expression", "distribution_set_id",
                                     "category", "action_type", "updated_at")
       VALUES ($1::uuid, $2, 'p', 'model = "M7"', 1, 'device_bound', 'forced', now())`,
      [POLICY, OWNER],
    );
  });
  afterAll(() => db?.close());
  beforeEach(() => sql(`DELETE FROM "ota"."actions"`));

  describe('claimEach', () => {
    it('should hand a scheduled action to its device once, logging it as the transaction claim does', async () => {
      const actionId = await addAction('scheduled');

      const claims = await Promise.all([sut.claimEach([actionId]), sut.claimEach([actionId])]);

      expect(claims.map((claimed) => claimed.has(actionId)).sort()).toEqual([false, true]);
      expect(await stateOf(actionId)).toEqual({
        status: 'retrieved',
        deferredReason: null,
        history: [
          {
            status: 'retrieved',
            messages: ['Update server: target retrieved the deployment and should start the download now.'],
          },
        ],
      });
    });

    it.each(['canceled', 'retrieved', 'canceling'])('should leave an action that is %s untouched', async (status) => {
      const actionId = await addAction(status);

      expect((await sut.claimEach([actionId])).has(actionId)).toBe(false);
      expect(await stateOf(actionId)).toEqual({ status, deferredReason: 'wave_not_open', history: [] });
    });

    it('should claim the scheduled ones of several actions in one statement and name exactly those', async () => {
      const scheduled = [await addAction('scheduled', 1), await addAction('scheduled', 2)];
      const canceled = await addAction('canceled', 3);

      const claimed = await sut.claimEach([...scheduled, canceled]);

      expect([...claimed.keys()].sort()).toEqual([...scheduled].sort());
      for (const actionId of scheduled) expect((await stateOf(actionId)).status).toBe('retrieved');
      expect(await stateOf(canceled)).toEqual({ status: 'canceled', deferredReason: 'wave_not_open', history: [] });
    });
  });

  // Lock order between two connections: PGlite has only one, so there is no order to check there.
  if (driver === 'postgres')
    describe('lock order (the target before its actions, as a device event takes them)', () => {
      /**
       * Runs `holdAction` in a transaction kept open for 200 ms, meanwhile what a device event's
       * handler does first (TargetsRepository.recordFromEvent); resolves with what happened in order.
       */
      async function whileActionHeld(holdAction: (tx: Tx) => Promise<void>): Promise<string[]> {
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        let locked!: () => void;
        const lockDone = new Promise<void>((resolve) => (locked = resolve));
        const order: string[] = [];
        const holding = db.prisma.$transaction(async (tx) => {
          await holdAction(tx);
          locked();
          await held;
          order.push('holder commits');
        });
        await lockDone;
        const rematching = db.prisma.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT 1 FROM "ota"."targets" WHERE "controller_id" = 'robot-1' FOR UPDATE`;
          order.push('re-match holds the target');
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        release();
        await Promise.all([holding, rematching]);
        return order;
      }

      it('should hold the target first, so a re-match of the same device waits instead of deadlocking', async () => {
        const actionId = await addAction('scheduled');
        const order = await whileActionHeld(async (tx) => {
          expect(await sut.claim(tx, actionId, 'robot-1')).toBe(true);
        });
        expect(order).toEqual(['holder commits', 're-match holds the target']);
      });

      it('should hold the target first for a device feedback too', async () => {
        const actionId = await addAction('retrieved');
        const order = await whileActionHeld(async (tx) => {
          expect((await sut.lockForTarget(tx, actionId, 'robot-1'))?.id).toBe(actionId);
        });
        expect(order).toEqual(['holder commits', 're-match holds the target']);
      });
    });
});
