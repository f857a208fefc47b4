import { DomainError } from '@flexgalaxy/contracts';

/** No such software module, or another account's: the same answer. */
export class SoftwareModuleNotFoundError extends DomainError {
  readonly code = 'SOFTWARE_MODULE.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(id: number) {
    super('software module not found', { softwareModuleId: id });
  }
}

export class DistributionSetNotFoundError extends DomainError {
  readonly code = 'DISTRIBUTION_SET.NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(id: number) {
    super('distribution set not found', { distributionSetId: id });
  }
}

/** A set names modules that do not exist or belong to another account. */
export class UnknownModulesError extends DomainError {
  readonly code = 'DISTRIBUTION_SET.UNKNOWN_MODULES';
  readonly kind = 'invalid_input' as const;

  constructor(ids: number[]) {
    super(`unknown software modules: ${ids.join(', ')}`, { field: 'body.modules', softwareModuleIds: ids });
  }
}

export class DuplicateSoftwareModuleError extends DomainError {
  readonly code = 'SOFTWARE_MODULE.DUPLICATE';
  readonly kind = 'conflict' as const;

  constructor() {
    super('a software module with this name, version and type exists');
  }
}

export class DuplicateDistributionSetError extends DomainError {
  readonly code = 'DISTRIBUTION_SET.DUPLICATE';
  readonly kind = 'conflict' as const;

  constructor() {
    super('a distribution set with this name and version exists');
  }
}

export class DuplicateArtifactError extends DomainError {
  readonly code = 'ARTIFACT.DUPLICATE';
  readonly kind = 'conflict' as const;

  constructor(filename: string) {
    super('the module already has an artifact with this file name', { filename });
  }
}

export class UnsupportedUploadError extends DomainError {
  readonly code = 'ARTIFACT.UNSUPPORTED_MEDIA_TYPE';
  readonly kind = 'invalid_input' as const;

  constructor() {
    super('send the artifact as the raw body with content-type application/octet-stream', { field: 'body' });
  }
}

/** hawkBit mode: the module was made before OTA Forge drove hawkBit, so hawkBit does not know it. */
export class NotInHawkbitError extends DomainError {
  readonly code = 'CATALOG.NOT_IN_HAWKBIT';
  readonly kind = 'invalid_state' as const;

  constructor(softwareModuleIds: number[]) {
    super('software module unknown to hawkBit (created before hawkBit mode)', { softwareModuleIds });
  }
}
