import { DomainError } from '@flexgalaxy/contracts';

export class PolicyNotFoundError extends DomainError {
  readonly code = 'POLICY.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(id: string) {
    super('policy not found', { policyId: id });
  }
}

/** The listing is unknown to OTA Forge's projection under this developer, or is another's. */
export class ListingNotFoundError extends DomainError {
  readonly code = 'LISTING.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(listingId: string) {
    super('listing not found', { listingId });
  }
}

export class CategoryMismatchError extends DomainError {
  readonly code = 'POLICY.CATEGORY_MISMATCH';
  readonly kind = 'invalid_input' as const;

  constructor(listingCategory: string) {
    super(`the listing is ${listingCategory} software`, { field: 'body.category', listingCategory });
  }
}
