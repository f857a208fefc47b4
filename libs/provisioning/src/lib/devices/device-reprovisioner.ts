import { Inject, Injectable } from '@nestjs/common';
import {
  IdentityClientConflictError,
  TYPES_FOLLOWING_THE_DEVICE,
  type TelemetryTransferResult,
  type TelemetryType,
} from '@flexgalaxy/adapters';
import type { Tx } from '@flexgalaxy/db';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../provisioning.config.js';
import { Saga } from '../shared/saga.js';
import { newToken } from '../shared/secrets.js';
import { DeviceBackends, type DeviceCredentials } from './backends/device-backends.js';
import { DeviceChanges, type PendingEvent } from './device-changes.service.js';
import { IllegalTransitionError } from './devices.errors.js';
import type { DeviceChanges as RowChanges } from './devices.repository.js';
import { registryAttributes, targetAttributes, type HistoryAction, type ProvisionedDevice } from './domain/device.js';
import { transition, type LifecycleCommand } from './domain/lifecycle.js';

export interface ReprovisionPlan {
  device: ProvisionedDevice;
  command: Extract<LifecycleCommand, 'assemble' | 'field_activate' | 'transfer'>;
  /** The owner afterwards (= device.accountId when the account does not change). */
  targetAccountId: string;
  targetOwnerPath: string | null;
  /** Attribute / identity changes (assembly: type, serial, capabilities …). */
  changes: RowChanges;
  /** Whether the device must end with an M2M client (creates one if it has none). */
  m2m: boolean;
  /** seed 000 §5: how application telemetry moves when the account changes. */
  applicationTelemetry: 'stay' | 'follow';
  actor: string;
  historyAction: HistoryAction;
  reason: string | null;
  /** Events besides the ones derived here (device.transferred, credentials_rotated, telemetry). */
  events: (device: ProvisionedDevice) => PendingEvent[];
  /** Writes in the commit transaction (binding a claim token). */
  alsoInTransaction?: (tx: Tx, device: ProvisionedDevice) => Promise<void>;
}

export interface ReprovisionResult {
  device: ProvisionedDevice;
  previousAccountId: string;
  credentials: DeviceCredentials;
  telemetry: TelemetryTransferResult | null;
}

/**
 * Re-provisions an existing device: assembly upgrade, field activation, account transfer. Every
 * credential is rotated (the old MQTT token, DDI token and M2M secret stop working at once), the
 * device moves to its new account in every system, and its telemetry follows seed 000 §5's rules.
 *
 * Order matters for compensation: the reversible changes come first (registry record, telemetry,
 * M2M client account, OTA target), each with its undo; the rotations, which cannot be undone
 * (the old secrets exist only as hashes), come last, MQTT last of all (the embedded, local one).
 * If a rotation fails after another succeeded, the reversible changes are undone and the device
 * keeps its account and state, but the credentials already rotated stay revoked: the safe
 * direction, and a retry (or rotate-credentials) issues a fresh set.
 */
@Injectable()
export class DeviceReprovisioner {
  constructor(
    @Inject(DeviceBackends) private readonly backends: DeviceBackends,
    @Inject(DeviceChanges) private readonly changes: DeviceChanges,
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
  ) {}

  async apply(plan: ReprovisionPlan): Promise<ReprovisionResult> {
    const { device } = plan;
    const next = transition(device.state, plan.command, device.suspendedFrom);
    if (!next.ok) throw new IllegalTransitionError(device.id, device.state, plan.command);
    const after: ProvisionedDevice = {
      ...device,
      ...plan.changes,
      accountId: plan.targetAccountId,
      ownerPath: plan.targetOwnerPath,
      state: next.next,
    };
    const moving = plan.targetAccountId !== device.accountId;
    const { registry, ota, identity } = this.backends;
    const saga = new Saga(plan.command);

    await saga.step(
      'device-registry',
      'updateDevice',
      () =>
        registry.updateDevice(device.id, {
          ...(moving ? { accountId: after.accountId } : {}),
          profile: after.type,
          attributes: registryAttributes(after),
        }),
      () =>
        registry.updateDevice(device.id, {
          accountId: device.accountId,
          profile: device.type,
          attributes: registryAttributes(device),
        }),
    );

    let telemetry: TelemetryTransferResult | null = null;
    if (moving) {
      const rules = { follow: this.followingTypes(plan.applicationTelemetry) };
      telemetry = await saga.step(
        'device-registry',
        'transferTelemetry',
        () => registry.transferTelemetry(device.id, device.accountId, after.accountId, rules),
        () => registry.transferTelemetry(device.id, after.accountId, device.accountId, rules),
      );
    }

    let m2mSecret: string | undefined;
    let m2mClientId = device.m2mClientId;
    if (device.m2mClientId && moving) {
      await saga.step(
        'identity',
        'updateClient',
        () => identity.updateClient(device.id, { accountId: after.accountId }),
        () => identity.updateClient(device.id, { accountId: device.accountId }),
      );
    } else if (!device.m2mClientId && plan.m2m) {
      m2mSecret = await saga.step(
        'identity',
        'createClient',
        () => this.createClient(after),
        () => identity.deleteClient(device.id),
      );
      m2mClientId = device.id;
    }

    const ddiToken = newToken('fgdd_');
    await saga.step(
      'ota',
      'updateTarget',
      () =>
        ota.updateTarget(device.id, {
          ...(moving ? { accountId: after.accountId } : {}),
          attributes: targetAttributes(after),
          securityToken: ddiToken,
        }),
      () => ota.updateTarget(device.id, { accountId: device.accountId, attributes: targetAttributes(device) }),
    );

    if (device.m2mClientId) {
      m2mSecret = (await saga.step('identity', 'rotateSecret', () => identity.rotateSecret(device.id))).clientSecret;
    }
    const { accessToken } = await saga.step('device-registry', 'rotateAccessToken', () =>
      registry.rotateAccessToken(device.id),
    );

    const committed = await this.changes.commitChange(
      saga,
      device,
      plan.command,
      {
        ...plan.changes,
        accountId: after.accountId,
        ownerPath: after.ownerPath,
        state: after.state,
        m2mClientId,
        m2mPermissions: m2mClientId ? this.backends.m2mPermissions : [],
      },
      {
        action: plan.historyAction,
        fromState: device.state,
        toState: after.state,
        accountId: after.accountId,
        actor: plan.actor,
        reason: plan.reason,
        details: {
          credentialsRotated: m2mSecret ? ['mqtt', 'ddi', 'm2m'] : ['mqtt', 'ddi'],
          ...(moving ? { fromAccountId: device.accountId, toAccountId: after.accountId } : {}),
          ...(telemetry ? { telemetry: { moved: telemetry.moved, retained: telemetry.retained } } : {}),
        },
      },
      [
        ...plan.events(after),
        ...(moving ? this.transferEvents(device, after, telemetry) : []),
        {
          type: 'device.credentials_rotated',
          payload: {
            deviceId: device.id,
            accountId: after.accountId,
            credentials: m2mSecret ? ['mqtt', 'ddi', 'm2m'] : ['mqtt', 'ddi'],
          },
        },
      ],
      plan.alsoInTransaction ? (tx) => plan.alsoInTransaction!(tx, after) : undefined,
    );
    return {
      device: committed,
      previousAccountId: device.accountId,
      credentials: this.backends.credentials(device.id, { mqttToken: accessToken, ddiToken, m2mSecret }),
      telemetry,
    };
  }

  /** Creates the device's M2M client named after it; a leftover of an interrupted run is re-keyed. */
  async createClient(device: ProvisionedDevice): Promise<string> {
    const { identity } = this.backends;
    try {
      const issued = await identity.createClient({
        clientId: device.id,
        accountId: device.accountId,
        permissions: this.backends.m2mPermissions,
        description: `Device ${device.manufacturer} ${device.serial}`,
      });
      return issued.clientSecret;
    } catch (error) {
      if (!(error instanceof IdentityClientConflictError)) throw error;
      await identity.updateClient(device.id, {
        accountId: device.accountId,
        permissions: this.backends.m2mPermissions,
      });
      return (await identity.rotateSecret(device.id)).clientSecret;
    }
  }

  followingTypes(applicationTelemetry: 'stay' | 'follow'): TelemetryType[] {
    return [...TYPES_FOLLOWING_THE_DEVICE, ...(applicationTelemetry === 'follow' ? (['application'] as const) : [])];
  }

  private transferEvents(
    before: ProvisionedDevice,
    after: ProvisionedDevice,
    telemetry: TelemetryTransferResult | null,
  ): PendingEvent[] {
    const attributes = {
      type: after.type,
      manufacturer: after.manufacturer,
      model: after.model,
      revision: after.revision,
      serial: after.serial,
      firmwareVersion: after.firmwareVersion,
      capabilities: [...after.capabilities],
    };
    return [
      {
        type: 'device.transferred',
        payload: {
          deviceId: after.id,
          fromAccountId: before.accountId,
          toAccountId: after.accountId,
          state: after.state,
          attributes,
        },
      },
      {
        type: 'telemetry.transfer.completed',
        payload: {
          deviceId: after.id,
          fromAccountId: before.accountId,
          toAccountId: after.accountId,
          moved: telemetry?.moved ?? [],
          retained: telemetry?.retained ?? [],
        },
      },
    ];
  }
}
