import type { EventMap } from '@flexgalaxy/contracts';
import type { LifecycleState } from './lifecycle.js';

export type IdentityMethod = 'mtls' | 'claim_token' | 'pre_shared_token' | 'mtls+claim_token';

/** A new device's time zone when its enrollment names none (OTA maintenance windows). */
export const DEFAULT_TIMEZONE = 'UTC';

/** A device as provisioning records it. */
export interface ProvisionedDevice {
  id: string;
  accountId: string;
  ownerPath: string | null;
  manufacturer: string;
  serial: string;
  controllerSerial: string | null;
  type: string;
  model: string | null;
  revision: string | null;
  firmwareVersion: string | null;
  capabilities: string[];
  timezone: string;
  priority: string | null;
  state: LifecycleState;
  suspendedFrom: LifecycleState | null;
  identityMethod: IdentityMethod;
  m2mClientId: string | null;
  m2mPermissions: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type HistoryAction =
  | 'ENROLLED'
  | 'UPGRADED'
  | 'FIELD_ACTIVATED'
  | 'TRANSFERRED'
  | 'CREDENTIALS_ROTATED'
  | 'SUSPENDED'
  | 'REACTIVATED'
  | 'DECOMMISSIONED'
  | 'REJECTED';

export interface HistoryEntry {
  action: HistoryAction;
  fromState: LifecycleState | null;
  toState: LifecycleState;
  accountId: string;
  actor: string;
  reason: string | null;
  details: Record<string, unknown>;
  occurredAt: Date;
}

export type DeviceEventAttributes = EventMap['device.provisioned']['attributes'];

/** The attributes every device.* event carries (contracts: deviceAttributesSchema). */
export function eventAttributes(device: ProvisionedDevice): DeviceEventAttributes {
  return {
    type: device.type,
    manufacturer: device.manufacturer,
    model: device.model,
    revision: device.revision,
    serial: device.serial,
    firmwareVersion: device.firmwareVersion,
    capabilities: [...device.capabilities],
  };
}

/** OTA target attributes (seed 000 §2): what policies match on. */
export function targetAttributes(device: ProvisionedDevice) {
  return {
    type: device.type,
    model: device.model,
    revision: device.revision,
    manufacturer: device.manufacturer,
    serial: device.serial,
    firmwareVersion: device.firmwareVersion,
    capabilities: [...device.capabilities],
    timezone: device.timezone,
  };
}

/** Device registry attributes (ThingsBoard SERVER_SCOPE): the same facts, nulls left out. */
export function registryAttributes(device: ProvisionedDevice): Record<string, string | string[]> {
  const attributes: Record<string, string | string[]> = {
    type: device.type,
    manufacturer: device.manufacturer,
    serial: device.serial,
    capabilities: [...device.capabilities],
    timezone: device.timezone,
  };
  if (device.model) attributes['model'] = device.model;
  if (device.revision) attributes['revision'] = device.revision;
  if (device.firmwareVersion) attributes['firmwareVersion'] = device.firmwareVersion;
  if (device.controllerSerial) attributes['controllerSerial'] = device.controllerSerial;
  return attributes;
}
