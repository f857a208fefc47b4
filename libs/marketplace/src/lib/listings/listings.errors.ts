import { DomainError } from '@flexgalaxy/contracts';
import type { PolicySyntaxErrorDetails } from '@flexgalaxy/targeting';

/** No such listing, or a draft of another developer: the same answer, so drafts never leak. */
export class ListingNotFoundError extends DomainError {
  readonly code = 'LISTING.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(listingId: string) {
    super('listing not found', { listingId });
  }
}

/** The compatible-device expression is not valid OTA policy language (seed 000 §2). */
export class InvalidCompatibleDevicesError extends DomainError {
  readonly code = 'LISTING.INVALID_COMPATIBLE_DEVICES';
  readonly kind = 'invalid_input' as const;

  constructor(message: string, details: PolicySyntaxErrorDetails) {
    super(`compatibleDevices: ${message}`, { field: 'compatibleDevices', ...details });
  }
}

/** Only developer (and maker) accounts publish software. */
export class NotAPublisherError extends DomainError {
  readonly code = 'LISTING.PUBLISHER_ACCOUNT_REQUIRED';
  readonly kind = 'forbidden' as const;

  constructor(accountId: string) {
    super('only developer or maker accounts known to the platform publish listings', { accountId });
  }
}

export class SoftwareIdTakenError extends DomainError {
  readonly code = 'LISTING.SOFTWARE_ID_TAKEN';
  readonly kind = 'conflict' as const;

  constructor(softwareId: string) {
    super('the account already lists this software id', { softwareId });
  }
}

export class VersionExistsError extends DomainError {
  readonly code = 'LISTING.VERSION_EXISTS';
  readonly kind = 'conflict' as const;

  constructor(listingId: string, version: string) {
    super('this version is already published', { listingId, version });
  }
}

/** Category, version scoping and license policy are fixed once a version is published. */
export class ListingTermsLockedError extends DomainError {
  readonly code = 'LISTING.TERMS_LOCKED';
  readonly kind = 'invalid_state' as const;

  constructor(listingId: string, fields: string[]) {
    super('a published listing keeps its software id, category, version scoping and license policy', {
      listingId,
      fields,
    });
  }
}
