import { DomainError } from '@flexgalaxy/contracts';
import type { z } from 'zod';

export type RequestPart = 'body' | 'query' | 'params' | 'headers';

/** A request did not match its schema; `details.issues` names each bad field by its path. */
export class RequestValidationError extends DomainError {
  readonly code = 'REQUEST.INVALID';
  readonly kind = 'invalid_input' as const;

  constructor(part: RequestPart, error: z.ZodError) {
    const issues = error.issues.map((issue) => ({
      path: [part, ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    super(`invalid ${issues.map((issue) => issue.path).join(', ')}: ${issues[0]?.message ?? 'invalid request'}`, {
      issues,
    });
  }
}
