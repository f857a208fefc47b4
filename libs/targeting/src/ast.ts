import { ATTRIBUTES, type Attribute } from './vocabulary.js';

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A value as written: a number keeps its spelling (`3.10` is not `3.1` for a version). */
export interface Literal {
  readonly kind: 'string' | 'number';
  readonly value: string;
}

export interface Comparison {
  readonly kind: 'comparison';
  readonly attribute: Attribute;
  readonly operator: ComparisonOperator;
  readonly value: Literal;
}

/** `attribute IN (…)`, or `attribute NOT IN (…)` when `negated`. */
export interface Membership {
  readonly kind: 'membership';
  readonly attribute: Attribute;
  readonly negated: boolean;
  readonly values: readonly Literal[];
}

/** AND / OR with two or more operands; the parser flattens `(a AND b) AND c` into one node. */
export interface Junction {
  readonly kind: 'and' | 'or';
  readonly operands: readonly PolicyExpression[];
}

export interface Negation {
  readonly kind: 'not';
  readonly operand: PolicyExpression;
}

export type PolicyExpression = Junction | Negation | Comparison | Membership;

const PRECEDENCE = { or: 1, and: 2, not: 3, comparison: 4, membership: 4 } as const;

function describeLiteral(literal: Literal): string {
  return literal.kind === 'number' ? literal.value : `"${literal.value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The canonical text of an expression: upper-case keywords, canonical attribute names, single
 * spaces, only the parentheses precedence needs. Parsing it gives back the same tree, so it is
 * the form to store and display.
 */
export function describeExpression(node: PolicyExpression): string {
  const operand = (child: PolicyExpression, minimum: number) => {
    const text = describeExpression(child);
    return PRECEDENCE[child.kind] < minimum ? `(${text})` : text;
  };
  switch (node.kind) {
    case 'or':
    case 'and': {
      // A nested junction of the same kind only arises from a hand-built tree; keep its grouping.
      const own = PRECEDENCE[node.kind];
      return node.operands
        .map((child) => operand(child, child.kind === node.kind ? own + 1 : own))
        .join(` ${node.kind.toUpperCase()} `);
    }
    case 'not':
      return `NOT ${operand(node.operand, PRECEDENCE.not)}`;
    case 'comparison':
      return `${node.attribute} ${node.operator} ${describeLiteral(node.value)}`;
    case 'membership':
      return `${node.attribute} ${node.negated ? 'NOT IN' : 'IN'} (${node.values.map(describeLiteral).join(', ')})`;
  }
}

/** The attributes an expression reads, each once, in vocabulary order. */
export function attributesUsed(node: PolicyExpression): Attribute[] {
  const used = new Set<Attribute>();
  const visit = (current: PolicyExpression): void => {
    if ('operands' in current) current.operands.forEach(visit);
    else if ('operand' in current) visit(current.operand);
    else used.add(current.attribute);
  };
  visit(node);
  return ATTRIBUTES.filter((attribute) => used.has(attribute));
}
