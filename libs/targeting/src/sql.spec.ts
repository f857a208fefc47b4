import { naturalSortKey } from './natural-order.js';
import { storedKeys, toSql, type SqlColumns } from './sql.js';

const columns: SqlColumns = {
  type: { folded: 't.type_folded' },
  model: { folded: 't.model_folded' },
  manufacturer: { folded: 't.manufacturer_folded' },
  revision: { value: 't.revision', sortKey: 't.revision_key' },
  serial: { value: 't.serial', sortKey: 't.serial_key' },
  firmware_version: { value: 't.firmware_version', sortKey: 't.firmware_version_key' },
  software_version: { value: 't.software_version', sortKey: 't.software_version_key' },
  capabilities: 't.capabilities',
  account: 't.account_id',
  org: 't.org_id',
  timezone: 't.timezone',
};

describe(toSql.name, () => {
  it('should compile seed 000 §2 target to one parameterised, index-friendly conjunction', () => {
    expect(toSql('type = "AMR" AND model = "X1" AND revision >= "r3"', columns)).toEqual({
      sql: '(t.type_folded = $1 AND t.model_folded = $2 AND t.revision_key COLLATE "C" >= $3)',
      params: ['amr', 'x1', naturalSortKey('r3')],
    });
  });

  it.each([
    ['revision = "R3"', 't.revision = $1', ['R3']],
    ['revision != "r3"', 't.revision <> $1', ['r3']],
    ['firmware_version < 3.10', 't.firmware_version_key COLLATE "C" < $1', [naturalSortKey('3.10')]],
    ['serial <= "SN10"', 't.serial_key COLLATE "C" <= $1', [naturalSortKey('SN10')]],
    ['account = "acc-1"', 't.account_id = $1', ['acc-1']],
    ['model IN ("X1", "x1", "X2")', 't.model_folded = ANY($1::text[])', [['x1', 'x2']]],
    ['org NOT IN ("o1", "o2")', 't.org_id <> ALL($1::text[])', [['o1', 'o2']]],
    ['capabilities = "lidar"', 't.capabilities @> ARRAY[$1::text]', ['lidar']],
    ['capabilities != "lidar"', 'NOT (t.capabilities @> ARRAY[$1::text])', ['lidar']],
    ['capabilities IN ("lidar", "arm")', 't.capabilities && $1::text[]', [['lidar', 'arm']]],
    ['capabilities NOT IN ("lidar")', 'NOT (t.capabilities && $1::text[])', [['lidar']]],
  ])('should compile %s to %s', (expression, sql, params) => {
    expect(toSql(expression, columns)).toEqual({ sql, params });
  });

  it.each([
    ['NOT type = "a"', '(t.type_folded IS NULL OR t.type_folded <> $1)'],
    ['NOT revision != "r3"', '(t.revision IS NULL OR t.revision = $1)'],
    ['NOT revision >= "r3"', '(t.revision_key IS NULL OR t.revision_key COLLATE "C" < $1)'],
    ['NOT revision < "r3"', '(t.revision_key IS NULL OR t.revision_key COLLATE "C" >= $1)'],
    ['NOT revision > "r3"', '(t.revision_key IS NULL OR t.revision_key COLLATE "C" <= $1)'],
    ['NOT revision <= "r3"', '(t.revision_key IS NULL OR t.revision_key COLLATE "C" > $1)'],
    ['NOT serial IN ("a")', '(t.serial IS NULL OR t.serial <> ALL($1::text[]))'],
    ['NOT serial NOT IN ("a")', '(t.serial IS NULL OR t.serial = ANY($1::text[]))'],
    ['NOT capabilities = "x"', '(t.capabilities IS NULL OR NOT (t.capabilities @> ARRAY[$1::text]))'],
    ['NOT capabilities NOT IN ("x")', '(t.capabilities IS NULL OR t.capabilities && $1::text[])'],
    ['NOT NOT type = "a"', 't.type_folded = $1'],
    [
      'NOT (type = "a" OR model = "b" AND NOT org = "o")',
      '((t.type_folded IS NULL OR t.type_folded <> $1) AND ((t.model_folded IS NULL OR t.model_folded <> $2) OR t.org_id = $3))',
    ],
  ])('should push NOT down: %s → %s', (expression, sql) => {
    expect(toSql(expression, columns).sql).toBe(sql);
  });

  it('should wrap a disjunction so the caller can AND it with its own conditions', () => {
    expect(toSql('type = "a" OR type = "b"', columns).sql).toBe('(t.type_folded = $1 OR t.type_folded = $2)');
  });

  it('should number placeholders from startParam', () => {
    expect(toSql('org = "o" AND (serial = "s" OR timezone IN ("UTC"))', columns, 4)).toEqual({
      sql: '(t.org_id = $4 AND (t.serial = $5 OR t.timezone = ANY($6::text[])))',
      params: ['o', 's', ['UTC']],
    });
  });

  it('should never put a value into the SQL text', () => {
    const hostile = `'; DROP TABLE targets; --`;
    const { sql, params } = toSql(
      `serial = "${hostile}" OR capabilities IN ("${hostile}") OR type = "${hostile}"`,
      columns,
    );
    expect(sql).not.toContain(`'`);
    expect(sql).not.toContain('DROP');
    expect(params).toEqual([hostile, [hostile], hostile.toLowerCase()]);
  });
});

describe(storedKeys.name, () => {
  it('should derive the folded values and sort keys a target row stores, NULL for absent values', () => {
    expect(storedKeys({ type: 'AMR', model: 'X1', revision: 'r3', firmware_version: '3.10' })).toEqual({
      folded: { type: 'amr', model: 'x1', manufacturer: null },
      sortKeys: {
        revision: naturalSortKey('r3'),
        serial: null,
        firmware_version: naturalSortKey('3.10'),
        software_version: null,
      },
    });
  });
});
