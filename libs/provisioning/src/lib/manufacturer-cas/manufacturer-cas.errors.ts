import { DomainError } from '@flexgalaxy/contracts';

/** The uploaded certificate cannot be registered as a manufacturer sub-CA; `reason` says why. */
export class InvalidManufacturerCaError extends DomainError {
  readonly code = 'MANUFACTURER_CA.INVALID';
  readonly kind = 'invalid_input' as const;

  constructor(
    reason:
      | 'malformed_certificate'
      | 'not_a_ca'
      | 'not_signed_by_root'
      | 'expired'
      | 'not_yet_valid'
      | 'no_organization'
      | 'malformed_csr',
    message: string,
  ) {
    super(message, { reason });
  }
}

export class ManufacturerCaExistsError extends DomainError {
  readonly code = 'MANUFACTURER_CA.EXISTS';
  readonly kind = 'conflict' as const;

  constructor(fingerprint: string) {
    super('this CA certificate is already registered', { fingerprint });
  }
}

/** Another account already speaks for this manufacturer (O): one maker cannot enroll another's devices. */
export class ManufacturerTakenError extends DomainError {
  readonly code = 'MANUFACTURER_CA.MANUFACTURER_TAKEN';
  readonly kind = 'conflict' as const;

  constructor(manufacturer: string) {
    super(`manufacturer ${manufacturer} is registered by another account`, { manufacturer });
  }
}

/** No such CA, or one of another account: the same answer. */
export class ManufacturerCaNotFoundError extends DomainError {
  readonly code = 'MANUFACTURER_CA.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(id: string) {
    super('manufacturer CA not found', { id });
  }
}

/** The account to register the CA for is not known to provisioning (org has not announced it). */
export class UnknownAccountError extends DomainError {
  readonly code = 'ACCOUNT.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(accountId: string) {
    super('account not found', { accountId });
  }
}
