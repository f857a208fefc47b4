import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { describeExpression } from './ast.js';
import { naturalSortKey } from './natural-order.js';
import { compile } from './predicate.js';
import { storedKeys, toSql, type SqlColumns } from './sql.js';
import { randomExpression, randomTarget, seededRandom } from './testing/random-policies.js';
import type { TargetAttributes } from './vocabulary.js';

// The storage recipe the OTA service follows: folded columns for type/model/manufacturer, a
// COLLATE "C" sort-key column beside each ordered attribute, a text[] for capabilities.
// `serialKeyCollation` lets one suite declare a key column the recipe's way is not followed for.
const columnDefinitions = (serialKeyCollation = 'C') => `
  id integer PRIMARY KEY,
  type text, type_folded text, model text, model_folded text, manufacturer text, manufacturer_folded text,
  revision text, revision_key text COLLATE "C", serial text, serial_key text COLLATE "${serialKeyCollation}",
  firmware_version text, firmware_version_key text COLLATE "C",
  software_version text, software_version_key text COLLATE "C",
  capabilities text[], account text, org text, timezone text`;

const COLUMNS: SqlColumns = {
  type: { folded: 'type_folded' },
  model: { folded: 'model_folded' },
  manufacturer: { folded: 'manufacturer_folded' },
  revision: { value: 'revision', sortKey: 'revision_key' },
  serial: { value: 'serial', sortKey: 'serial_key' },
  firmware_version: { value: 'firmware_version', sortKey: 'firmware_version_key' },
  software_version: { value: 'software_version', sortKey: 'software_version_key' },
  capabilities: 'capabilities',
  account: 'account',
  org: 'org',
  timezone: 'timezone',
};

function rowOf(id: number, target: TargetAttributes): unknown[] {
  const { folded, sortKeys } = storedKeys(target);
  return [
    id,
    target.type ?? null,
    folded.type,
    target.model ?? null,
    folded.model,
    target.manufacturer ?? null,
    folded.manufacturer,
    target.revision ?? null,
    sortKeys.revision,
    target.serial ?? null,
    sortKeys.serial,
    target.firmware_version ?? null,
    sortKeys.firmware_version,
    target.software_version ?? null,
    sortKeys.software_version,
    target.capabilities ?? null,
    target.account ?? null,
    target.org ?? null,
    target.timezone ?? null,
  ];
}

async function insertTargets(db: TestDatabase, table: string, targets: TargetAttributes[]): Promise<void> {
  const rows = targets.map((target, index) => rowOf(index + 1, target));
  const width = rows[0].length;
  const tuples = rows.map(
    (_, row) => `(${Array.from({ length: width }, (_, col) => `$${row * width + col + 1}`).join(', ')})`,
  );
  await db.connection.sql.query(`INSERT INTO ${table} VALUES ${tuples.join(', ')}`, rows.flat());
}

describe.each(DRIVERS)('toSql against compile on %s', (driver) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  });
  afterAll(() => db?.close());

  describe('agreement', () => {
    const random = seededRandom(2026);
    const targets = Array.from({ length: 400 }, () => randomTarget(random));
    const expressions = [
      'type = "amr" AND model = "X1" AND revision >= "r3"',
      'NOT software_version >= "3.0"',
      'NOT (capabilities IN ("lidar") OR revision < "r10")',
      'firmware_version > 3.9 AND firmware_version < "3.10.1"',
      'capabilities != "navigation" OR serial NOT IN ("SN9")',
      ...Array.from({ length: 200 }, () => describeExpression(randomExpression(random, 4))),
    ];

    beforeAll(async () => {
      // Where the server has ICU (PostgreSQL here; PGlite has none), serial keys get a linguistic
      // collation that orders punctuation and accents differently: toSql's COLLATE "C" must still win.
      const [icu] = await db.connection.sql.query(`SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'`);
      await db.connection.sql.exec(`CREATE TABLE targeting_targets (${columnDefinitions(icu ? 'und-x-icu' : 'C')})`);
      await insertTargets(db, 'targeting_targets', targets);
    });

    it('should select exactly the targets the predicate matches, for every expression', async () => {
      const mismatches: unknown[] = [];
      let selective = 0;
      for (const expression of expressions) {
        // Placed after the caller's own condition, as a service would use it.
        const { sql, params } = toSql(expression, COLUMNS, 2);
        const rows = await db.connection.sql.query<{ id: number }>(
          `SELECT id FROM targeting_targets WHERE id >= $1 AND ${sql} ORDER BY id`,
          [0, ...params],
        );
        const fromSql = rows.map((row) => row.id);
        const predicate = compile(expression);
        const fromPredicate = targets.flatMap((target, index) => (predicate(target) ? [index + 1] : []));
        if (fromSql.join() !== fromPredicate.join()) mismatches.push({ expression, sql, fromSql, fromPredicate });
        if (fromPredicate.length > 0 && fromPredicate.length < targets.length) selective++;
      }
      expect(mismatches).toEqual([]);
      // The generated expressions must discriminate, or the agreement would prove little.
      expect(selective).toBeGreaterThan(expressions.length / 2);
    });
  });

  describe('index use', () => {
    const revisions = Array.from({ length: 12 }, (_, index) => `r${index + 1}`);

    beforeAll(async () => {
      await db.connection.sql.exec(`CREATE TABLE targeting_fleet (${columnDefinitions()})`);
      // 60,000 targets over 50 types x 40 models x 12 revisions; keys computed by naturalSortKey.
      await db.connection.sql.query(
        `INSERT INTO targeting_fleet (id, type, type_folded, model, model_folded, revision, revision_key)
         SELECT g, 'T' || (g % 50), 't' || (g % 50), 'M' || (g % 40), 'm' || (g % 40),
                ($1::text[])[1 + g % 12], ($2::text[])[1 + g % 12]
           FROM generate_series(1, 60000) AS g`,
        [revisions, revisions.map(naturalSortKey)],
      );
      await db.connection.sql.exec(
        'CREATE INDEX targeting_fleet_static_idx ON targeting_fleet (type_folded, model_folded, revision_key); ANALYZE targeting_fleet',
      );
    });

    it('should serve type = … AND model = … AND revision >= … from the (type, model, revision_key) index', async () => {
      const { sql, params } = toSql('type = "T7" AND model = "m7" AND revision >= "r3"', COLUMNS);
      const plan = await db.connection.sql.transaction(async (session) => {
        await session.exec('SET LOCAL enable_seqscan = off');
        const rows = await session.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (FORMAT JSON) SELECT id FROM targeting_fleet WHERE ${sql}`,
          params,
        );
        return JSON.stringify(rows[0]['QUERY PLAN']);
      });
      expect(plan).toContain('"Index Name":"targeting_fleet_static_idx"');
      expect(plan).toMatch(/"Index Cond":"[^"]*type_folded[^"]*model_folded[^"]*revision_key/);
      const { sql: check, params: checkParams } = toSql('type = "t7" AND model = "M7" AND revision >= "r3"', COLUMNS);
      const [{ count }] = await db.connection.sql.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM targeting_fleet WHERE ${check}`,
        checkParams,
      );
      // g ≡ 7 (mod 200) gives type T7 and model M7; its revision index (g % 12) is then 7, 3, 11, … ≥ r3 unless 0/1.
      const expected = Array.from({ length: 300 }, (_, k) => 7 + 200 * k).filter((g) => g % 12 >= 2).length;
      expect(Number(count)).toBe(expected);
    });
  });
});
