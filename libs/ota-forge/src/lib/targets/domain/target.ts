/** A target's static attributes as the targets API takes and answers them. */
export interface TargetAttributes {
  type: string;
  model: string | null;
  revision: string | null;
  manufacturer: string;
  serial: string;
  firmwareVersion: string | null;
  capabilities: string[];
  timezone: string | null;
}

export interface Target {
  controllerId: string;
  accountId: string;
  name: string;
  enabled: boolean;
  attributes: TargetAttributes;
  createdAt: Date;
  updatedAt: Date;
}

export interface TargetWrite {
  accountId: string;
  name: string;
  /** sha256 of the DDI token; the token itself is never stored. */
  tokenHash: string;
  attributes: TargetAttributes;
}

export interface TargetPatch {
  accountId?: string;
  tokenHash?: string;
  attributes?: Partial<TargetAttributes>;
  enabled?: boolean;
}

/** What a device.* event says about a target (events carry no token and no time zone). */
export interface TargetFromEvent {
  controllerId: string;
  accountId: string;
  /** The enrolling account: device.provisioned's owner, else the best the event knows. */
  makerAccountId: string;
  attributes: Omit<TargetAttributes, 'timezone'>;
  occurredAt: Date;
}
