export {
  attributesUsed,
  describeExpression,
  type Comparison,
  type ComparisonOperator,
  type Junction,
  type Literal,
  type Membership,
  type Negation,
  type PolicyExpression,
} from './ast.js';
export {
  PolicySyntaxError,
  toErrorDetails,
  type PolicySyntaxErrorDetails,
  type PolicySyntaxErrorReason,
} from './errors.js';
export { compareNatural, NATURAL_SORT_KEY_MAX_LENGTH, naturalSortKey } from './natural-order.js';
export { parsePolicy } from './parser.js';
export { compile, type TargetPredicate } from './predicate.js';
export { storedKeys, toSql, type SqlColumns, type SqlFragment, type StoredKeys } from './sql.js';
export {
  ATTRIBUTE_KINDS,
  ATTRIBUTES,
  foldCase,
  POLICY_LIMITS,
  type Attribute,
  type AttributeKind,
  type TargetAttributes,
} from './vocabulary.js';
