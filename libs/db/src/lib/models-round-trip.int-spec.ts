import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRIVERS, openTestDatabase, type TestDatabase } from '@flexgalaxy/testing';
import { MIGRATIONS_DIRECTORY } from './migrations-directory.js';

/** The generated client's own description of each model (field → column, model → table). */
interface RuntimeField {
  name: string;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  dbName?: string | null;
}
interface RuntimeModel {
  fields: RuntimeField[];
  dbName?: string | null;
  schema?: string | null;
}
interface Column extends Record<string, unknown> {
  column_name: string;
  udt_name: string;
  data_type: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  character_maximum_length: number | null;
}
interface ForeignKey extends Record<string, unknown> {
  column_name: string;
  foreign_schema: string;
  foreign_table: string;
  foreign_column: string;
}

type Delegate = {
  create(args: { data: Record<string, unknown> }): Promise<Record<string, unknown>>;
  findMany(): Promise<Record<string, unknown>[]>;
};

function runtimeModels(db: TestDatabase): Record<string, RuntimeModel> {
  // Internal to Prisma, but it is exactly what the client maps with: the test proves the SQL
  // migrations and the client agree on every model.
  return (db.prisma as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel
    .models;
}

const delegateName = (model: string) => model.charAt(0).toLowerCase() + model.slice(1);

describe.each(DRIVERS)('every Prisma model round-trips through the migrated schema on %s', (driver) => {
  let db: TestDatabase;
  let counter = 0;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
  });
  afterAll(() => db.close());

  async function columnsOf(schema: string, table: string): Promise<Column[]> {
    return db.connection.sql.query<Column>(
      `SELECT column_name, udt_name, data_type, is_nullable, column_default, character_maximum_length
         FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [schema, table],
    );
  }

  async function foreignKeysOf(schema: string, table: string): Promise<ForeignKey[]> {
    return db.connection.sql.query<ForeignKey>(
      `SELECT kcu.column_name, ccu.table_schema AS foreign_schema, ccu.table_name AS foreign_table, ccu.column_name AS foreign_column
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.table_schema
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = $1 AND tc.table_name = $2`,
      [schema, table],
    );
  }

  async function sampleValue(column: Column): Promise<unknown> {
    counter++;
    switch (column.udt_name) {
      case 'uuid':
        return randomUUID();
      case 'text':
      case 'varchar':
      case 'bpchar': {
        const text = `${column.column_name}-${counter}-${randomUUID().replaceAll('-', '')}`.repeat(4);
        return text.slice(0, column.character_maximum_length ?? 48);
      }
      case 'int2':
      case 'int4':
        return 40 + counter;
      case 'int8':
        return BigInt(9_000_000_000 + counter);
      case 'float4':
      case 'float8':
        return 1.5 + counter;
      case 'bool':
        return true;
      case 'timestamptz':
      case 'timestamp':
        return new Date(Date.UTC(2026, 10, 23, 12, 0, counter % 60, 123));
      case 'jsonb':
      case 'json':
        return { nested: { list: [1, 'two', null], counter } };
      case '_text':
      case '_varchar':
        return [`a-${counter}`, `b-${counter}`];
      case '_int4':
        return [10 + counter, 100];
      case 'bytea':
        return new Uint8Array([1, 2, 3, counter % 256]);
      default: {
        if (column.data_type === 'USER-DEFINED') {
          const [label] = await db.connection.sql.query<{ enumlabel: string }>(
            `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder LIMIT 1`,
            [column.udt_name],
          );
          if (label) return label.enumlabel;
        }
        throw new Error(`no sample for column ${column.column_name} of type ${column.udt_name}`);
      }
    }
  }

  /** Creates one row of `model` (and the parents its required foreign keys need); returns it. */
  async function createRow(
    modelName: string,
    depth = 0,
  ): Promise<{ data: Record<string, unknown>; row: Record<string, unknown> }> {
    if (depth > 5) throw new Error(`foreign keys of ${modelName} nest too deep`);
    const models = runtimeModels(db);
    const model = models[modelName]!;
    const schema = model.schema ?? 'public';
    const table = model.dbName ?? modelName;
    const columns = await columnsOf(schema, table);
    expect(columns.length).toBeGreaterThan(0);
    const foreignKeys = await foreignKeysOf(schema, table);
    const data: Record<string, unknown> = {};
    for (const field of model.fields.filter((f) => f.kind !== 'object')) {
      const columnName = field.dbName ?? field.name;
      const column = columns.find((c) => c.column_name === columnName);
      if (!column)
        throw new Error(
          `${modelName}.${field.name}: column ${schema}.${table}.${columnName} is missing from the migrations`,
        );
      const foreignKey = foreignKeys.find((fk) => fk.column_name === columnName);
      if (foreignKey) {
        if (column.is_nullable === 'YES') {
          data[field.name] = null;
          continue;
        }
        const [parentName] = Object.entries(models).find(
          ([, m]) =>
            (m.schema ?? 'public') === foreignKey.foreign_schema && (m.dbName ?? '') === foreignKey.foreign_table,
        ) ?? [Object.keys(models).find((name) => name === foreignKey.foreign_table)];
        if (!parentName) throw new Error(`no model for ${foreignKey.foreign_schema}.${foreignKey.foreign_table}`);
        const parent = await createRow(parentName, depth + 1);
        const parentField = models[parentName]!.fields.find((f) => (f.dbName ?? f.name) === foreignKey.foreign_column)!;
        data[field.name] = parent.row[parentField.name];
        continue;
      }
      data[field.name] = await sampleValue(column);
    }
    // Columns the client does not know must fill themselves (defaults), or inserts would fail.
    for (const column of columns) {
      const known = model.fields.some((f) => (f.dbName ?? f.name) === column.column_name);
      if (!known)
        expect({
          column: column.column_name,
          fillsItself: column.column_default !== null || column.is_nullable === 'YES',
        }).toEqual({ column: column.column_name, fillsItself: true });
    }
    const delegate = (db.prisma as unknown as Record<string, Delegate>)[delegateName(modelName)]!;
    const row = await delegate.create({ data });
    return { data, row };
  }

  it('should have models in every PostgreSQL schema the datasource declares', () => {
    const declared = readFileSync(join(MIGRATIONS_DIRECTORY, '../schema/base.prisma'), 'utf8').match(
      /schemas\s*=\s*\[([^\]]*)\]/,
    )![1]!;
    const schemas = new Set(Object.values(runtimeModels(db)).map((model) => model.schema));
    expect([...schemas].sort()).toEqual([...declared.matchAll(/"([^"]+)"/g)].map((match) => match[1]).sort());
  });

  it('should write and read back every field of every model unchanged', async () => {
    const models = Object.keys(runtimeModels(db));
    expect(models.length).toBeGreaterThan(3);
    for (const modelName of models) {
      const { data } = await createRow(modelName);
      const rows = await (db.prisma as unknown as Record<string, Delegate>)[delegateName(modelName)]!.findMany();
      expect({
        model: modelName,
        found: rows.some((row) =>
          Object.entries(data).every(
            ([key, value]) =>
              JSON.stringify(row[key], (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ===
              JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
          ),
        ),
      }).toEqual({ model: modelName, found: true });
    }
  });
});
