import { DomainError } from '@flexgalaxy/contracts';

/** The token was consumed by another enrollment (single use; concurrent enrollments: one wins). */
export class ClaimTokenUsedError extends DomainError {
  readonly code = 'CLAIM_TOKEN.ALREADY_USED';
  readonly kind = 'conflict' as const;

  constructor() {
    super('the claim token has already been used');
  }
}

export class ClaimTokenExpiredError extends DomainError {
  readonly code = 'CLAIM_TOKEN.EXPIRED';
  readonly kind = 'gone' as const;

  /** `deviceId`: the record holding the Rejected entry of this attempt. */
  constructor(expiresAt: Date, deviceId?: string) {
    super(`the claim token expired at ${expiresAt.toISOString()}`, {
      reason: 'expired',
      expiresAt: expiresAt.toISOString(),
      ...(deviceId ? { deviceId } : {}),
    });
  }
}

export class ClaimTokenDeviceTypeMismatchError extends DomainError {
  readonly code = 'CLAIM_TOKEN.DEVICE_TYPE_MISMATCH';
  readonly kind = 'invalid_input' as const;

  constructor(tokenType: string, deviceType: string) {
    super(`the claim token enrolls ${tokenType} devices, not ${deviceType}`, {
      tokenDeviceType: tokenType,
      deviceType,
    });
  }
}

export class InvalidTokenExpiryError extends DomainError {
  readonly code = 'CLAIM_TOKEN.INVALID_EXPIRY';
  readonly kind = 'invalid_input' as const;

  constructor(problem: 'in_the_past' | 'too_far', maxSeconds: number) {
    super(problem === 'in_the_past' ? 'the expiry is in the past' : `tokens may live at most ${maxSeconds} s`, {
      problem,
      maxSeconds,
    });
  }
}
