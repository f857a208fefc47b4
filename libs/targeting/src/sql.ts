import type { Comparison, ComparisonOperator, Membership, PolicyExpression } from './ast.js';
import { naturalSortKey } from './natural-order.js';
import { parsePolicy } from './parser.js';
import {
  ATTRIBUTE_KINDS,
  equalityForm,
  foldCase,
  type Attribute,
  type AttributeKind,
  type AttributeOfKind,
  type TargetAttributes,
} from './vocabulary.js';

/**
 * Where each attribute lives, as SQL column expressions the caller trusts (never user input).
 * The database compares only values this library derived, so no locale or collation of the
 * server can make it disagree with {@link compile}:
 * - `folded` attributes: a column holding `foldCase(value)` (it may be the value column itself
 *   when the service stores these attributes folded);
 * - `ordered` attributes: the value column for `=`/`!=`/IN and a sort-key column holding
 *   `naturalSortKey(value)`, declared `text COLLATE "C"`, for `< <= > >=`;
 * - `exact` attributes: the value column; `list` attributes: a `text[]` column.
 * A derived column is NULL exactly when its value is. {@link storedKeys} computes them.
 *
 * Index recipe for OTA Forge's static tier: a btree on `(type_folded, model_folded, revision_key)`
 * serves seed 000's `type = … AND model = … AND revision >= …`; a GIN index on `capabilities`
 * serves contains / contains-any.
 */
export type SqlColumns = { readonly [A in Attribute]: ColumnOf<(typeof ATTRIBUTE_KINDS)[A]> };

type ColumnOf<K extends AttributeKind> = K extends 'folded'
  ? { readonly folded: string }
  : K extends 'ordered'
    ? { readonly value: string; readonly sortKey: string }
    : string;

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

const COMPLEMENT: Record<ComparisonOperator, ComparisonOperator> = {
  '=': '!=',
  '!=': '=',
  '<': '>=',
  '<=': '>',
  '>': '<=',
  '>=': '<',
};

const SQL_OPERATOR: Record<ComparisonOperator, string> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * Compiles an expression into a parenthesised, parameterised WHERE fragment whose placeholders
 * start at `$startParam`; values only ever travel as parameters.
 *
 * NULL semantics match the predicate: a comparison on a NULL column is not true. NOT is pushed
 * down to the comparisons (De Morgan) and a negated comparison becomes
 * `(col IS NULL OR <complement>)`, so `NOT` is logical negation while every comparison stays an
 * index-usable condition on its column.
 */
export function toSql(expression: string | PolicyExpression, columns: SqlColumns, startParam = 1): SqlFragment {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${startParam + params.push(value) - 1}`;

  const emit = (node: PolicyExpression, negated: boolean): string => {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const joiner = (node.kind === 'and') !== negated ? ' AND ' : ' OR ';
        return `(${node.operands.map((operand) => emit(operand, negated)).join(joiner)})`;
      }
      case 'not':
        return emit(node.operand, !negated);
      default: {
        const { column, condition } = atom(node, negated, columns, bind);
        return negated ? `(${column} IS NULL OR ${condition})` : condition;
      }
    }
  };

  const sql = emit(typeof expression === 'string' ? parsePolicy(expression) : expression, false);
  return { sql, params };
}

/** One comparison, already complemented when `negated`, and the column whose NULL makes it unknown. */
function atom(
  node: Comparison | Membership,
  negated: boolean,
  columns: SqlColumns,
  bind: (value: unknown) => string,
): { column: string; condition: string } {
  const kind = ATTRIBUTE_KINDS[node.attribute];
  if (node.kind === 'membership') {
    const column = valueColumn(node.attribute, columns);
    const values = bind([...new Set(node.values.map((literal) => equalityForm(node.attribute)(literal.value)))]);
    const [included, excluded] =
      kind === 'list'
        ? [`${column} && ${values}::text[]`, `NOT (${column} && ${values}::text[])`]
        : [`${column} = ANY(${values}::text[])`, `${column} <> ALL(${values}::text[])`];
    return { column, condition: node.negated !== negated ? excluded : included };
  }
  const operator = negated ? COMPLEMENT[node.operator] : node.operator;
  const literal = node.value.value;
  if (kind === 'list') {
    const column = valueColumn(node.attribute, columns);
    const contains = `${column} @> ARRAY[${bind(literal)}::text]`;
    return { column, condition: operator === '=' ? contains : `NOT (${contains})` };
  }
  if (operator === '=' || operator === '!=') {
    const column = valueColumn(node.attribute, columns);
    return { column, condition: `${column} ${SQL_OPERATOR[operator]} ${bind(equalityForm(node.attribute)(literal))}` };
  }
  const column = columns[node.attribute as AttributeOfKind<'ordered'>].sortKey;
  // COLLATE "C": byte order of the keys is the natural order whatever the database's collation.
  return { column, condition: `${column} COLLATE "C" ${SQL_OPERATOR[operator]} ${bind(naturalSortKey(literal))}` };
}

function valueColumn(attribute: Attribute, columns: SqlColumns): string {
  const column = columns[attribute];
  if (typeof column === 'string') return column;
  return 'folded' in column ? column.folded : column.value;
}

/** The derived values a service stores beside a target's attributes for {@link toSql}'s columns. */
export interface StoredKeys {
  folded: { [A in AttributeOfKind<'folded'>]: string | null };
  sortKeys: { [A in AttributeOfKind<'ordered'>]: string | null };
}

export function storedKeys(attributes: TargetAttributes): StoredKeys {
  const fold = (value: string | null | undefined) => (value == null ? null : foldCase(value));
  const key = (value: string | null | undefined) => (value == null ? null : naturalSortKey(value));
  return {
    folded: { type: fold(attributes.type), model: fold(attributes.model), manufacturer: fold(attributes.manufacturer) },
    sortKeys: {
      revision: key(attributes.revision),
      serial: key(attributes.serial),
      firmware_version: key(attributes.firmware_version),
      software_version: key(attributes.software_version),
    },
  };
}
