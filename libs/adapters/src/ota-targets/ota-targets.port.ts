/** Injection token of the OTA targets port; services inject this, never an adapter class. */
export const OTA_TARGETS = Symbol('OTA_TARGETS');

/** Static attributes of a target that OTA policies match on (seed 000 §2 "Attribute Sources"). */
export interface OtaTargetAttributes {
  type: string;
  model: string | null;
  revision: string | null;
  manufacturer: string;
  serial: string;
  firmwareVersion: string | null;
  capabilities: string[];
  /** IANA time zone of the device, for maintenance windows. */
  timezone: string | null;
}

export interface OtaTargetInput {
  /** The owning account (seed 002: "hawkBit: update target tenant"). */
  accountId: string;
  name: string;
  /** The DDI security token in clear (≥ 32 characters); the backend keeps only its sha256. */
  securityToken: string;
  attributes: OtaTargetAttributes;
}

/** Fields left out keep their value; `attributes` are merged key by key. */
export interface OtaTargetPatch {
  accountId?: string;
  securityToken?: string;
  attributes?: Partial<OtaTargetAttributes>;
  enabled?: boolean;
}

/** A target as the backend answers it: never its security token. */
export interface OtaTarget {
  controllerId: string;
  accountId: string;
  enabled: boolean;
  attributes: OtaTargetAttributes;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * OTA Forge's targets API as provisioning sees it (hawkBit's Management API target model): the
 * controllerId is the platform's device_id. Every method throws OtaBackendUnavailableError when the
 * backend cannot be reached or fails, OtaTargetRejectedError when it refuses the request.
 */
export interface OtaTargets {
  /**
   * Creates the target or replaces it (idempotent upsert).
   * @returns the target and whether it was created.
   */
  upsertTarget(controllerId: string, input: OtaTargetInput): Promise<OtaTarget & { created: boolean }>;

  /**
   * Changes the account, security token, attributes (merged) or the enabled flag.
   * @throws OtaTargetNotFoundError when no such target exists.
   */
  updateTarget(controllerId: string, patch: OtaTargetPatch): Promise<OtaTarget>;

  /**
   * Removes the target: no more OTA updates, its token is refused.
   * @throws OtaTargetNotFoundError when no such target exists.
   */
  deleteTarget(controllerId: string): Promise<void>;
}
