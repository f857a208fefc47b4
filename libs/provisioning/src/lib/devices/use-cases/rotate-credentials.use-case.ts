import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import { OperationLocks } from '../../shared/operation-lock.repository.js';
import { Saga } from '../../shared/saga.js';
import { newToken } from '../../shared/secrets.js';
import { DeviceBackends } from '../backends/device-backends.js';
import { DeviceAccess } from '../device-access.js';
import { DeviceChanges, event } from '../device-changes.service.js';
import { IllegalTransitionError } from '../devices.errors.js';
import { DevicesRepository } from '../devices.repository.js';
import { transition } from '../domain/lifecycle.js';
import type { EnrollmentResult } from '../enrollment.types.js';

/**
 * POST /provisioning/v1/devices/{id}/rotate-credentials: new MQTT token, DDI token and M2M secret
 * (if the device has a client); the old ones are refused at once. Rotations cannot be undone (the
 * old secrets exist only as hashes), so a failure part-way leaves the rotated ones revoked and the
 * caller told which system failed; repeating the call issues a complete new set.
 */
@Injectable()
export class RotateCredentialsUseCase {
  constructor(
    @Inject(DeviceAccess) private readonly access: DeviceAccess,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(DeviceBackends) private readonly backends: DeviceBackends,
    @Inject(DeviceChanges) private readonly changes: DeviceChanges,
    @Inject(OperationLocks) private readonly locks: OperationLocks,
  ) {}

  async execute(principal: Principal, deviceId: string): Promise<EnrollmentResult> {
    const visible = await this.access.writable(principal, deviceId);
    return this.locks.withLock(`device:${visible.id}`, 'credential rotation', async () => {
      const device = (await this.devices.findById(visible.id)) ?? visible;
      const next = transition(device.state, 'rotate_credentials');
      if (!next.ok) throw new IllegalTransitionError(device.id, device.state, 'rotate_credentials');
      const { registry, ota, identity } = this.backends;
      const saga = new Saga('rotate-credentials');
      const ddiToken = newToken('fgdd_');
      await saga.step('ota', 'updateTarget', () => ota.updateTarget(device.id, { securityToken: ddiToken }));
      const m2mSecret = device.m2mClientId
        ? (await saga.step('identity', 'rotateSecret', () => identity.rotateSecret(device.id))).clientSecret
        : undefined;
      const { accessToken } = await saga.step('device-registry', 'rotateAccessToken', () =>
        registry.rotateAccessToken(device.id),
      );
      const rotated: ('mqtt' | 'ddi' | 'm2m')[] = m2mSecret ? ['mqtt', 'ddi', 'm2m'] : ['mqtt', 'ddi'];
      const updated = await this.changes.commitChange(
        saga,
        device,
        'rotate_credentials',
        {},
        {
          action: 'CREDENTIALS_ROTATED',
          fromState: device.state,
          toState: device.state,
          accountId: device.accountId,
          actor: principal.subject,
          reason: null,
          details: { credentials: rotated },
        },
        [
          event('device.credentials_rotated', {
            deviceId: device.id,
            accountId: device.accountId,
            credentials: rotated,
          }),
        ],
      );
      return {
        deviceId: updated.id,
        state: updated.state,
        accountId: updated.accountId,
        credentials: this.backends.credentials(device.id, { mqttToken: accessToken, ddiToken, m2mSecret }),
      };
    });
  }
}
