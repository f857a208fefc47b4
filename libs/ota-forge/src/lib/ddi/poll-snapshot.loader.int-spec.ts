import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { hashTargetToken } from '../shared/token-hash.js';
import { DdiRepository } from './ddi.repository.js';
import { PollSnapshotLoader } from './poll-snapshot.loader.js';

const OWNER = 'acc-maker';
const POLICY = '00000000-0000-4000-8000-000000000001';

describe.each(DRIVERS)(`${PollSnapshotLoader.name} on %s`, (driver) => {
  let db: TestDatabase;
  let sut: PollSnapshotLoader;
  // What another process does (an event handler creating or cancelling an action): plain SQL.
  const sql = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    db.connection.sql.query<T>(text, params);

  async function addTarget(controllerId: string, options: { enabled?: boolean } = {}): Promise<void> {
    await sql(
      `INSERT INTO "ota"."targets" ("controller_id", "account_id", "org_root_id", "maker_account_id", "name",
                                    "security_token_hash", "enabled", "type", "type_folded", "manufacturer",
                                    "manufacturer_folded", "serial", "serial_key", "timezone", "request_config_data",
                                    "updated_at")
       VALUES ($1, $2, $2, $2, $1, $3, $4, 'amr', 'amr', 'Acme', 'acme', $1, $1, 'Europe/Berlin', false, now())`,
      [controllerId, OWNER, hashTargetToken(`token-${controllerId}`), options.enabled ?? true],
    );
  }

  async function addAction(targetId: string, status: string, attempt = 1): Promise<number> {
    const [row] = await sql<{ id: string | bigint }>(
      `INSERT INTO "ota"."actions" ("target_id", "policy_id", "distribution_set_id", "owner_account_id",
                                    "software_name", "software_version", "status", "attempt", "wave", "updated_at")
       VALUES ($1, $2::uuid, 1, $3, 'RoboOS', '2.0', $4::"ota"."action_state", $5, 1, now()) RETURNING "id"`,
      [targetId, POLICY, OWNER, status, attempt],
    );
    return Number(row!.id);
  }

  const load = (controllerId: string) => sut.load(hashTargetToken(`token-${controllerId}`));

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    sut = new PollSnapshotLoader(new DdiRepository(db.prisma));
    await sql(
      `INSERT INTO "ota"."distribution_sets" ("id", "owner_account_id", "name", "version") VALUES (1, $1, 'RoboOS', '2.0')`,
      [OWNER],
    );
    await sql(
      `INSERT INTO "ota"."policies" ("id", "owner_account_id", "name", "target_expression", "distribution_set_id",
                                     "category", "action_type", "min_battery", "window_start", "window_end",
                                     "max_concurrent", "current_wave", "status", "updated_at")
       VALUES ($1::uuid, $2, 'p', 'model = "M7"', 1, 'device_bound', 'forced', 30, '22:00', '04:00', 5, 2, 'paused', now())`,
      [POLICY, OWNER],
    );
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await sql(`DELETE FROM "ota"."actions"`);
    await sql(`DELETE FROM "ota"."targets"`);
  });

  describe('load', () => {
    it('should find no target for an unknown token', async () => {
      await addTarget('robot-1');

      expect(await sut.load(hashTargetToken('token-nobody'))).toBeNull();
    });

    it('should read the target, its open action with the policy constraints, and its last installed action', async () => {
      await addTarget('robot-1', { enabled: false });
      await addAction('robot-1', 'finished', 1);
      const installed = await addAction('robot-1', 'finished', 2);
      const open = await addAction('robot-1', 'scheduled', 3);
      await sql(`UPDATE "ota"."actions" SET "deferred_reason" = 'wave_not_open' WHERE "id" = $1`, [open]);

      expect(await load('robot-1')).toEqual({
        controllerId: 'robot-1',
        enabled: false,
        timezone: 'Europe/Berlin',
        requestConfigData: false,
        installedActionId: installed,
        action: {
          id: open,
          status: 'scheduled',
          wave: 1,
          notBefore: null,
          deferredReason: 'wave_not_open',
          policyId: POLICY,
          policyStatus: 'paused',
          currentWave: 2,
          constraints: { minBattery: 30, requireIdle: false, maintenanceWindow: { start: '22:00', end: '04:00' } },
          maxConcurrent: 5,
        },
      });
    });

    it('should offer a delivered action before an undelivered one', async () => {
      await addTarget('robot-1');
      await addAction('robot-1', 'scheduled', 1);
      const running = await addAction('robot-1', 'running', 2);

      expect((await load('robot-1'))?.action).toMatchObject({ id: running, status: 'running' });
    });

    it('should answer polls arriving together each with its own target only', async () => {
      const ids = Array.from({ length: 40 }, (_, index) => `robot-${index}`);
      for (const id of ids) await addTarget(id);
      const actions = new Map<string, number>();
      for (const id of ids.filter((_, index) => index % 3 === 0)) actions.set(id, await addAction(id, 'scheduled'));

      // Twice per target, all at once: they share statements, and a repeated token too.
      const snapshots = await Promise.all([...ids, ...ids].map((id) => load(id)));

      expect(snapshots.map((snapshot) => [snapshot?.controllerId, snapshot?.action?.id ?? null])).toEqual(
        [...ids, ...ids].map((id) => [id, actions.get(id) ?? null]),
      );
    });

    it('should see an action created or cancelled by another process before the poll arrived', async () => {
      await addTarget('robot-1');
      expect((await load('robot-1'))?.action).toBeNull();

      const created = await addAction('robot-1', 'scheduled');
      expect((await load('robot-1'))?.action?.id).toBe(created);

      await sql(`UPDATE "ota"."actions" SET "status" = 'canceled' WHERE "id" = $1`, [created]);
      expect((await load('robot-1'))?.action).toBeNull();
    });
  });
});
