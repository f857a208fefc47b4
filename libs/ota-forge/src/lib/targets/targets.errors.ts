import { DomainError } from '@flexgalaxy/contracts';

/** No such target, or one the caller may not see: the same answer. */
export class TargetNotFoundError extends DomainError {
  readonly code = 'TARGET.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(controllerId: string) {
    super('target not found', { controllerId });
  }
}

/** The time zone is not an IANA zone this server knows (maintenance windows need it). */
export class InvalidTimeZoneError extends DomainError {
  readonly code = 'TARGET.INVALID_TIMEZONE';
  readonly kind = 'invalid_input' as const;

  constructor(timezone: string) {
    super(`unknown time zone ${JSON.stringify(timezone)}`, { field: 'body.attributes.timezone' });
  }
}
