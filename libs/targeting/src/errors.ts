/** Why an expression was rejected; stable, for callers and tests to branch on. */
export type PolicySyntaxErrorReason =
  | 'empty'
  | 'too_long'
  | 'too_deep'
  | 'too_many_values'
  | 'unexpected_token'
  | 'unknown_attribute'
  | 'operator_not_allowed'
  | 'unterminated_string'
  | 'invalid_escape';

/**
 * What callers put in their `DomainError` details (HTTP 400): where, what was wanted, what was
 * there. A type alias, not an interface, so it is assignable to `Record<string, unknown>`.
 */
export type PolicySyntaxErrorDetails = {
  position: number;
  line: number;
  column: number;
  expected: string;
  found: string;
};

const MAX_FOUND_LENGTH = 40;

/** `found` for an error message: the source text, shortened; `end of input` past the last token. */
export function describeFound(text: string): string {
  if (text === '') return 'end of input';
  return text.length > MAX_FOUND_LENGTH ? `${text.slice(0, MAX_FOUND_LENGTH)}…` : text;
}

/**
 * A targeting expression that does not parse. `position` is a 0-based offset into the source,
 * `line`/`column` are 1-based. Shaped like a `DomainError` (`code`, `kind`, `details`) so the
 * services can wrap it without this library importing `@flexgalaxy/contracts`.
 */
export class PolicySyntaxError extends Error {
  readonly code = 'TARGETING.POLICY_SYNTAX';
  readonly kind = 'invalid_input';
  readonly line: number;
  readonly column: number;

  constructor(
    source: string,
    readonly reason: PolicySyntaxErrorReason,
    readonly position: number,
    readonly expected: string,
    readonly found: string,
  ) {
    const before = source.slice(0, position);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n');
    super(`expected ${expected} at ${line}:${column}, found ${found}`);
    this.name = 'PolicySyntaxError';
    this.line = line;
    this.column = column;
  }

  get details(): PolicySyntaxErrorDetails {
    return toErrorDetails(this);
  }
}

export function toErrorDetails(error: PolicySyntaxError): PolicySyntaxErrorDetails {
  const { position, line, column, expected, found } = error;
  return { position, line, column, expected, found };
}
