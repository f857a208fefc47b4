import { DomainError } from '@flexgalaxy/contracts';

/** No such account, or one the caller may not see: the same answer, so existence never leaks. */
export class AccountNotFoundError extends DomainError {
  readonly code = 'ACCOUNT.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(accountId: string) {
    super('account not found', { accountId });
  }
}

/** The caller sees the account through its hierarchy (downward, read-only) but does not own it. */
export class AccountReadOnlyError extends DomainError {
  readonly code = 'ACCOUNT.READ_ONLY';
  readonly kind = 'forbidden' as const;

  constructor(accountId: string) {
    super('account is visible to the caller read-only; only the account itself may change it', { accountId });
  }
}

/** The requested account would break the hierarchy (seed 000: maker → member → end user). */
export class InvalidAccountHierarchyError extends DomainError {
  readonly code = 'ACCOUNT.INVALID_HIERARCHY';
  readonly kind = 'invalid_input' as const;

  constructor(kind: string, parentKind: string | null, allowedKinds: readonly string[]) {
    const where = parentKind === null ? 'at the top level' : `under a ${parentKind} account`;
    super(`a ${kind} account cannot be created ${where}`, { kind, parentKind, allowedKinds: [...allowedKinds] });
  }
}
