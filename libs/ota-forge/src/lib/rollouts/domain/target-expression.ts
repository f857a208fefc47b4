import {
  compile,
  parsePolicy,
  PolicySyntaxError,
  storedKeys,
  toErrorDetails,
  toSql,
  type SqlColumns,
  type SqlFragment,
  type TargetAttributes,
  type TargetPredicate,
} from '@flexgalaxy/targeting';
import { InvalidTargetExpressionError } from '../rollouts.errors.js';

/**
 * Where each targeting attribute lives in the bulk-match query: `t` is ota.targets, `ts` the
 * target's installed version of the policy's own software (LEFT JOIN ota.target_software).
 * Trusted SQL, never user input; values travel as parameters (toSql).
 */
export const TARGET_SQL_COLUMNS: SqlColumns = {
  type: { folded: 't."type_folded"' },
  model: { folded: 't."model_folded"' },
  manufacturer: { folded: 't."manufacturer_folded"' },
  revision: { value: 't."revision"', sortKey: 't."revision_key"' },
  serial: { value: 't."serial"', sortKey: 't."serial_key"' },
  firmware_version: { value: 't."firmware_version"', sortKey: 't."firmware_version_key"' },
  software_version: { value: 'ts."version"', sortKey: 'ts."version_key"' },
  capabilities: 't."capabilities"',
  account: 't."account_id"',
  org: 't."org_root_id"',
  timezone: 't."timezone"',
};

/** Parses an expression; a malformed one is a 400 saying where and what was expected. */
export function assertValidExpression(expression: string): void {
  try {
    parsePolicy(expression);
  } catch (error) {
    if (error instanceof PolicySyntaxError)
      throw new InvalidTargetExpressionError(error.message, toErrorDetails(error));
    throw error;
  }
}

/** The expression as a WHERE fragment over {@link TARGET_SQL_COLUMNS}, placeholders from `$startParam`. */
export function expressionToSql(expression: string, startParam: number): SqlFragment {
  return toSql(expression, TARGET_SQL_COLUMNS, startParam);
}

const predicates = new Map<string, TargetPredicate>();
const MAX_CACHED_PREDICATES = 5000;

/** The in-memory predicate for one target (cached per expression text: policies are few). */
export function predicateOf(expression: string): TargetPredicate {
  let predicate = predicates.get(expression);
  if (!predicate) {
    if (predicates.size >= MAX_CACHED_PREDICATES) predicates.clear();
    predicate = compile(expression);
    predicates.set(expression, predicate);
  }
  return predicate;
}

export { storedKeys, type TargetAttributes };
