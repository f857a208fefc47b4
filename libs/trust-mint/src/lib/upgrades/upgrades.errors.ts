import { DomainError } from '@flexgalaxy/contracts';

/** No such upgrade request, or one of another account: the same answer. */
export class UpgradeRequestNotFoundError extends DomainError {
  readonly code = 'UPGRADE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(requestId: string) {
    super('upgrade request not found', { requestId });
  }
}

/** Only an ACTIVE TRIAL license can be upgraded to OFFICIAL. */
export class LicenseNotUpgradableError extends DomainError {
  readonly code = 'UPGRADE.LICENSE_NOT_UPGRADABLE';
  readonly kind = 'invalid_state' as const;

  constructor(licenseId: string, type: string, status: string) {
    super(`a ${status} ${type} license cannot be upgraded; only an active TRIAL can`, { licenseId, type, status });
  }
}

/** The request was already decided the other way; a decision is applied once. */
export class UpgradeAlreadyDecidedError extends DomainError {
  readonly code = 'UPGRADE.ALREADY_DECIDED';
  readonly kind = 'conflict' as const;

  constructor(requestId: string, status: string) {
    super(`the request was already ${status.toLowerCase()}`, { requestId, status });
  }
}
