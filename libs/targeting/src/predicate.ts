import type { Comparison, ComparisonOperator, Membership, PolicyExpression } from './ast.js';
import { naturalSortKey } from './natural-order.js';
import { parsePolicy } from './parser.js';
import {
  ATTRIBUTE_KINDS,
  equalityForm,
  type ListAttribute,
  type ScalarAttribute,
  type TargetAttributes,
} from './vocabulary.js';

export type TargetPredicate = (attributes: TargetAttributes) => boolean;

type ValueTest = (value: string) => boolean;

const ORDER_TESTS: Record<Exclude<ComparisonOperator, '=' | '!='>, (key: string, literal: string) => boolean> = {
  '<': (key, literal) => key < literal,
  '<=': (key, literal) => key <= literal,
  '>': (key, literal) => key > literal,
  '>=': (key, literal) => key >= literal,
};

/**
 * Compiles an expression into a predicate over one target's attributes (OTA Forge evaluates each
 * newly enrolled target against every active policy). An absent attribute makes each comparison
 * on it false, `!=` and NOT IN included; the NOT keyword is plain logical negation of what it
 * wraps. {@link toSql} gives the same answers in the database.
 */
export function compile(expression: string | PolicyExpression): TargetPredicate {
  return build(typeof expression === 'string' ? parsePolicy(expression) : expression);
}

function build(node: PolicyExpression): TargetPredicate {
  switch (node.kind) {
    case 'and': {
      const operands = node.operands.map(build);
      return (attributes) => operands.every((operand) => operand(attributes));
    }
    case 'or': {
      const operands = node.operands.map(build);
      return (attributes) => operands.some((operand) => operand(attributes));
    }
    case 'not': {
      const operand = build(node.operand);
      return (attributes) => !operand(attributes);
    }
    default:
      return ATTRIBUTE_KINDS[node.attribute] === 'list' ? listTest(node) : scalarTest(node);
  }
}

function scalarTest(node: Comparison | Membership): TargetPredicate {
  const attribute = node.attribute as ScalarAttribute;
  const normalize = equalityForm(attribute);
  let test: ValueTest;
  if (node.kind === 'membership') {
    const values = new Set(node.values.map((literal) => normalize(literal.value)));
    test = (value) => values.has(normalize(value)) !== node.negated;
  } else if (node.operator === '=' || node.operator === '!=') {
    const literal = normalize(node.value.value);
    const equal = node.operator === '=';
    test = (value) => (normalize(value) === literal) === equal;
  } else {
    const literal = naturalSortKey(node.value.value);
    const order = ORDER_TESTS[node.operator];
    test = (value) => order(naturalSortKey(value), literal);
  }
  return (attributes) => {
    const value = attributes[attribute];
    return value != null && test(value);
  };
}

function listTest(node: Comparison | Membership): TargetPredicate {
  const attribute = node.attribute as ListAttribute;
  // The parser admits only =, != and (NOT) IN on lists: = is "contains", IN "contains any".
  const wanted = new Set(node.kind === 'membership' ? node.values.map((literal) => literal.value) : [node.value.value]);
  const negated = node.kind === 'membership' ? node.negated : node.operator === '!=';
  return (attributes) => {
    const list = attributes[attribute];
    return list != null && list.some((item) => wanted.has(item)) !== negated;
  };
}
