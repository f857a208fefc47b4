import { DomainError } from '@flexgalaxy/contracts';

export class GrantNotFoundError extends DomainError {
  readonly code = 'GRANT.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(grantId: string) {
    super('grant not found', { grantId });
  }
}

/** seed 000 §3: org-wide Gets come from the org root account; a member account cannot make one. */
export class OrgRootRequiredError extends DomainError {
  readonly code = 'GRANT.ORG_ROOT_REQUIRED';
  readonly kind = 'forbidden' as const;

  constructor(accountId: string) {
    super('an organization-wide Get is made from the organization root account', { accountId });
  }
}

/** A member sees its org's org-wide grant, read-only: only the root that made it may revoke it. */
export class GrantReadOnlyError extends DomainError {
  readonly code = 'GRANT.READ_ONLY';
  readonly kind = 'forbidden' as const;

  constructor(grantId: string) {
    super('only the account that made this Get may revoke it', { grantId });
  }
}

export class ListingNotPublishedError extends DomainError {
  readonly code = 'LISTING.NOT_PUBLISHED';
  readonly kind = 'invalid_state' as const;

  constructor(listingId: string) {
    super('a draft cannot be got; publish a version first', { listingId });
  }
}

export class UnknownListingVersionError extends DomainError {
  readonly code = 'GRANT.UNKNOWN_VERSION';
  readonly kind = 'invalid_input' as const;

  constructor(listingId: string, version: string) {
    super('the listing has no such published version', { field: 'version', listingId, version });
  }
}
