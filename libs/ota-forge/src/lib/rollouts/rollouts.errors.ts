import { DomainError } from '@flexgalaxy/contracts';

/** A target expression that does not parse: where (position, line, column), what was expected. */
export class InvalidTargetExpressionError extends DomainError {
  readonly code = 'POLICY.INVALID_EXPRESSION';
  readonly kind = 'invalid_input' as const;

  constructor(message: string, details: Record<string, unknown>) {
    super(`invalid target expression: ${message}`, { field: 'body.targetExpression', ...details });
  }
}
