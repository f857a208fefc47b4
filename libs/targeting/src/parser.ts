import type { ComparisonOperator, Literal, PolicyExpression } from './ast.js';
import { describeFound, PolicySyntaxError, type PolicySyntaxErrorReason } from './errors.js';
import { Lexer, type Token } from './lexer.js';
import { ATTRIBUTE_KINDS, lookupAttribute, POLICY_LIMITS, type Attribute } from './vocabulary.js';

const ORDERING = new Set(['<', '<=', '>', '>=']);

/**
 * Parses a targeting expression (seed 000 §2: `type = "amr" AND model = "X1" AND revision >= "r3"`).
 *
 *     expr       := or
 *     or         := and ("OR" and)*
 *     and        := not ("AND" not)*
 *     not        := "NOT" not | primary
 *     primary    := "(" expr ")" | comparison
 *     comparison := attribute op value | attribute ["NOT"] "IN" "(" value ("," value)* ")"
 *
 * Keywords and attribute names are case-insensitive; values are double-quoted strings (`\"`, `\\`)
 * or numbers. Throws {@link PolicySyntaxError} with the position of the first problem.
 */
export function parsePolicy(source: string): PolicyExpression {
  if (source.length > POLICY_LIMITS.maxLength) {
    throw new PolicySyntaxError(
      source,
      'too_long',
      POLICY_LIMITS.maxLength,
      `at most ${POLICY_LIMITS.maxLength} characters`,
      `${source.length} characters`,
    );
  }
  return new Parser(source).parse();
}

class Parser {
  private readonly lexer: Lexer;
  private token: Token;

  constructor(private readonly source: string) {
    this.lexer = new Lexer(source);
    this.token = this.lexer.next();
  }

  parse(): PolicyExpression {
    if (this.atEnd()) this.fail('empty', 'an expression');
    const expression = this.or(0);
    if (!this.atEnd()) this.fail('unexpected_token', 'AND, OR or end of input');
    return expression;
  }

  private or(depth: number): PolicyExpression {
    return this.junction('or', () => this.and(depth));
  }

  private and(depth: number): PolicyExpression {
    return this.junction('and', () => this.not(depth));
  }

  private junction(kind: 'and' | 'or', operand: () => PolicyExpression): PolicyExpression {
    const operands: PolicyExpression[] = [];
    const add = (child: PolicyExpression) => operands.push(...(child.kind === kind ? child.operands : [child]));
    add(operand());
    while (this.isKeyword(kind.toUpperCase())) {
      this.advance();
      add(operand());
    }
    return operands.length === 1 ? operands[0] : { kind, operands };
  }

  private not(depth: number): PolicyExpression {
    if (!this.isKeyword('NOT')) return this.primary(depth);
    this.enter(depth);
    this.advance();
    return { kind: 'not', operand: this.not(depth + 1) };
  }

  private primary(depth: number): PolicyExpression {
    if (this.token.kind === '(') {
      this.enter(depth);
      this.advance();
      const expression = this.or(depth + 1);
      this.expect(')', 'AND, OR or ")"');
      return expression;
    }
    if (this.token.kind !== 'word') this.fail('unexpected_token', 'an attribute, NOT or "("');
    return this.comparison();
  }

  private comparison(): PolicyExpression {
    const attribute = lookupAttribute(this.token.text);
    if (!attribute) this.fail('unknown_attribute', 'a known attribute');
    this.advance();
    if (this.isKeyword('NOT') || this.isKeyword('IN')) return this.membership(attribute);
    if (this.token.kind !== 'operator') this.fail('unexpected_token', 'a comparison operator');
    const operator = this.token.text as ComparisonOperator;
    if (ORDERING.has(operator) && ATTRIBUTE_KINDS[attribute] !== 'ordered') {
      this.fail('operator_not_allowed', `=, !=, IN or NOT IN for ${attribute}`);
    }
    this.advance();
    return { kind: 'comparison', attribute, operator, value: this.literal() };
  }

  private membership(attribute: Attribute): PolicyExpression {
    const negated = this.isKeyword('NOT');
    if (negated) {
      this.advance();
      if (!this.isKeyword('IN')) this.fail('unexpected_token', 'IN');
    }
    this.advance();
    this.expect('(', '"("');
    const values = [this.literal()];
    while (this.token.kind === ',') {
      this.advance();
      if (values.length === POLICY_LIMITS.maxInValues) {
        this.fail('too_many_values', `at most ${POLICY_LIMITS.maxInValues} values in a list`);
      }
      values.push(this.literal());
    }
    this.expect(')', '"," or ")"');
    return { kind: 'membership', attribute, negated, values };
  }

  private literal(): Literal {
    const { kind, value } = this.token;
    if (kind !== 'string' && kind !== 'number') this.fail('unexpected_token', 'a quoted value');
    this.advance();
    return { kind, value };
  }

  /** Each "(" and NOT nests one level; the limit also bounds the parser's recursion. */
  private enter(depth: number): void {
    if (depth >= POLICY_LIMITS.maxDepth) {
      this.fail('too_deep', `at most ${POLICY_LIMITS.maxDepth} nested levels`);
    }
  }

  private expect(kind: '(' | ')', expected: string): void {
    if (this.token.kind !== kind) this.fail('unexpected_token', expected);
    this.advance();
  }

  private atEnd(): boolean {
    return this.token.kind === 'end';
  }

  private isKeyword(keyword: string): boolean {
    return this.token.kind === 'keyword' && this.token.value === keyword;
  }

  private advance(): void {
    this.token = this.lexer.next();
  }

  private fail(reason: PolicySyntaxErrorReason, expected: string): never {
    throw new PolicySyntaxError(this.source, reason, this.token.start, expected, describeFound(this.token.text));
  }
}
