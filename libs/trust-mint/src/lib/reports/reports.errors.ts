import { DomainError } from '@flexgalaxy/contracts';

/** No report the caller may read for this software (not its listing, or unknown): the same answer. */
export class SoftwareReportNotFoundError extends DomainError {
  readonly code = 'REPORT.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(softwareId: string) {
    super('no license report for this software', { softwareId });
  }
}

export class InvalidReportWindowError extends DomainError {
  readonly code = 'REPORT.INVALID_WINDOW';
  readonly kind = 'invalid_input' as const;

  constructor(message: string) {
    super(message, { fields: ['from', 'to'] });
  }
}
