import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import {
  IdentityClientNotFoundError,
  OtaTargetNotFoundError,
  DeviceNotFoundError as RegistryDeviceNotFoundError,
} from '@flexgalaxy/adapters';
import { OperationLocks } from '../../shared/operation-lock.repository.js';
import { Saga } from '../../shared/saga.js';
import { DeviceBackends } from '../backends/device-backends.js';
import { DeviceAccess } from '../device-access.js';
import { DeviceChanges, event } from '../device-changes.service.js';
import { IllegalTransitionError } from '../devices.errors.js';
import { DevicesRepository } from '../devices.repository.js';
import { eventAttributes, type ProvisionedDevice } from '../domain/device.js';
import { transition } from '../domain/lifecycle.js';

export interface DeviceStatus {
  deviceId: string;
  state: string;
  accountId: string;
}

const alreadyGone = (error: unknown) =>
  error instanceof RegistryDeviceNotFoundError ||
  error instanceof OtaTargetNotFoundError ||
  error instanceof IdentityClientNotFoundError;

/** Deletions are idempotent: a retry after a partial decommission finds some things gone already. */
async function ignoringGone(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!alreadyGone(error)) throw error;
  }
}

/**
 * Suspend, reactivate and decommission (seed 002 "Device Lifecycle", "Decommissioning").
 *
 * Suspension disables every credential without destroying it, so reactivation restores the very
 * same ones: the registry device is disabled (MQTT refused at CONNECT, live session closed), the
 * OTA target is set `enabled: false` (DDI refused), and the M2M client's permissions are cleared
 * (its tokens authorise nothing; the previous permissions are kept on the device and given back).
 * Clearing rather than deleting the client is deliberate: deleting would destroy the secret the
 * robot holds, so reactivation would need a new one delivered to it.
 */
@Injectable()
export class ChangeDeviceStateUseCase {
  constructor(
    @Inject(DeviceAccess) private readonly access: DeviceAccess,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(DeviceBackends) private readonly backends: DeviceBackends,
    @Inject(DeviceChanges) private readonly changes: DeviceChanges,
    @Inject(OperationLocks) private readonly locks: OperationLocks,
  ) {}

  suspend(principal: Principal, deviceId: string, reason: string | null): Promise<DeviceStatus> {
    return this.locked(principal, deviceId, 'suspension', async (device) => {
      const next = transition(device.state, 'suspend');
      if (!next.ok) throw new IllegalTransitionError(device.id, device.state, 'suspend');
      const { registry, ota, identity } = this.backends;
      const saga = new Saga('suspend');
      await saga.step(
        'device-registry',
        'disableDevice',
        () => registry.disableDevice(device.id),
        () => registry.enableDevice(device.id),
      );
      await saga.step(
        'ota',
        'disableTarget',
        () => ota.updateTarget(device.id, { enabled: false }),
        () => ota.updateTarget(device.id, { enabled: true }),
      );
      if (device.m2mClientId) {
        // Disabled, not emptied: its permissions stay for the reactivation, and no token is issued.
        await saga.step(
          'identity',
          'disableClient',
          () => identity.updateClient(device.id, { enabled: false }),
          () => identity.updateClient(device.id, { enabled: true }),
        );
      }
      return this.changes.commitChange(
        saga,
        device,
        'suspend',
        { state: next.next, suspendedFrom: device.state },
        this.history(device, 'SUSPENDED', next.next, principal, reason),
        [event('device.suspended', this.statePayload(device, next.next, reason))],
      );
    });
  }

  reactivate(principal: Principal, deviceId: string, reason: string | null): Promise<DeviceStatus> {
    return this.locked(principal, deviceId, 'reactivation', async (device) => {
      const next = transition(device.state, 'reactivate', device.suspendedFrom);
      if (!next.ok) throw new IllegalTransitionError(device.id, device.state, 'reactivate');
      const { registry, ota, identity } = this.backends;
      const saga = new Saga('reactivate');
      await saga.step(
        'device-registry',
        'enableDevice',
        () => registry.enableDevice(device.id),
        () => registry.disableDevice(device.id),
      );
      await saga.step(
        'ota',
        'enableTarget',
        () => ota.updateTarget(device.id, { enabled: true }),
        () => ota.updateTarget(device.id, { enabled: false }),
      );
      if (device.m2mClientId) {
        await saga.step(
          'identity',
          'enableClient',
          () => identity.updateClient(device.id, { enabled: true }),
          () => identity.updateClient(device.id, { enabled: false }),
        );
      }
      return this.changes.commitChange(
        saga,
        device,
        'reactivate',
        { state: next.next, suspendedFrom: null },
        this.history(device, 'REACTIVATED', next.next, principal, reason),
        [event('device.reactivated', this.statePayload(device, next.next, reason))],
      );
    });
  }

  /**
   * seed 002 "Decommissioning": disable the registry device (credentials revoked), archive its
   * telemetry, remove it, remove the OTA target, delete the M2M client, then commit the state with
   * device.decommissioned. The disabling steps are compensated if a later one fails; deletions
   * cannot be undone, so they come last and tolerate "already gone": a failed decommission is
   * finished by repeating it.
   */
  decommission(principal: Principal, deviceId: string, reason: string | null): Promise<DeviceStatus> {
    return this.locked(principal, deviceId, 'decommissioning', async (device) => {
      const next = transition(device.state, 'decommission');
      if (!next.ok) throw new IllegalTransitionError(device.id, device.state, 'decommission');
      const { registry, ota, identity } = this.backends;
      const saga = new Saga('decommission');
      const wasEnabled = device.state !== 'SUSPENDED';
      await saga.step(
        'device-registry',
        'disableDevice',
        () => ignoringGone(() => registry.disableDevice(device.id)),
        () => (wasEnabled ? registry.enableDevice(device.id) : Promise.resolve()),
      );
      await saga.step(
        'ota',
        'disableTarget',
        () => ignoringGone(() => ota.updateTarget(device.id, { enabled: false })),
        () => (wasEnabled ? ota.updateTarget(device.id, { enabled: true }) : Promise.resolve()),
      );
      await saga.step('device-registry', 'archiveTelemetry', () =>
        ignoringGone(() => registry.archiveTelemetry(device.id)),
      );
      await saga.step('device-registry', 'deleteDevice', () => ignoringGone(() => registry.deleteDevice(device.id)));
      await saga.step('ota', 'deleteTarget', () => ignoringGone(() => ota.deleteTarget(device.id)));
      if (device.m2mClientId) {
        await saga.step('identity', 'deleteClient', () => ignoringGone(() => identity.deleteClient(device.id)));
      }
      return this.changes.commitChange(
        saga,
        device,
        'decommission',
        { state: next.next, suspendedFrom: null, m2mClientId: null, m2mPermissions: [] },
        this.history(device, 'DECOMMISSIONED', next.next, principal, reason),
        [event('device.decommissioned', this.statePayload(device, next.next, reason))],
      );
    });
  }

  private async locked(
    principal: Principal,
    deviceId: string,
    operation: string,
    work: (device: ProvisionedDevice) => Promise<ProvisionedDevice>,
  ): Promise<DeviceStatus> {
    const visible = await this.access.writable(principal, deviceId);
    const updated = await this.locks.withLock(`device:${visible.id}`, operation, async () =>
      work((await this.devices.findById(visible.id)) ?? visible),
    );
    return { deviceId: updated.id, state: updated.state, accountId: updated.accountId };
  }

  private history(
    device: ProvisionedDevice,
    action: 'SUSPENDED' | 'REACTIVATED' | 'DECOMMISSIONED',
    toState: ProvisionedDevice['state'],
    principal: Principal,
    reason: string | null,
  ) {
    return {
      action,
      fromState: device.state,
      toState,
      accountId: device.accountId,
      actor: principal.subject,
      reason,
      details: {},
    };
  }

  private statePayload(device: ProvisionedDevice, state: ProvisionedDevice['state'], reason: string | null) {
    return { deviceId: device.id, reason, accountId: device.accountId, state, attributes: eventAttributes(device) };
  }
}
