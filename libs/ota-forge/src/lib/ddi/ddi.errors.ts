import { DomainError } from '@flexgalaxy/contracts';

/**
 * Missing, malformed, wrong or revoked TargetToken, a disabled target, another tenant, or a token
 * of another target than the path names: one answer, so a probe learns nothing.
 */
export class TargetUnauthenticatedError extends DomainError {
  readonly code = 'DDI.UNAUTHENTICATED';
  readonly kind = 'unauthenticated' as const;

  constructor() {
    super('missing or invalid TargetToken');
  }
}

/** No such action or artifact for this target (or not in a state this resource shows). */
export class DdiResourceNotFoundError extends DomainError {
  readonly code = 'DDI.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** Feedback for an action that is closed (hawkBit answers 410). */
export class ActionNotActiveError extends DomainError {
  readonly code = 'DDI.ACTION_NOT_ACTIVE';
  readonly kind = 'gone' as const;

  constructor(actionId: number) {
    super('action is not active anymore', { actionId });
  }
}

/** If-Match names another artifact version (answered 412 by the controller itself). */
export class PreconditionFailedError extends DomainError {
  readonly code = 'DDI.PRECONDITION_FAILED';
  readonly kind = 'invalid_input' as const;

  constructor() {
    super('If-Match does not match the artifact');
  }
}
