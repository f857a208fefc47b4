import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@flexgalaxy/auth';
import type { TelemetryTransferResult } from '@flexgalaxy/adapters';
import { AccountDirectory } from '../../accounts/account-directory.js';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../../provisioning.config.js';
import { OperationLocks } from '../../shared/operation-lock.repository.js';
import type { DeviceCredentials } from '../backends/device-backends.js';
import { DeviceAccess } from '../device-access.js';
import { DeviceReprovisioner } from '../device-reprovisioner.js';
import { SameAccountTransferError, TargetAccountNotFoundError } from '../devices.errors.js';
import { DevicesRepository } from '../devices.repository.js';
import { IdempotencyService } from '../idempotency/idempotency.service.js';

export interface TransferRequest {
  targetAccountId: string;
  /** Overrides APPLICATION_TELEMETRY_ON_TRANSFER for this transfer (seed 000 §5: "configurable per app"). */
  applicationTelemetry?: 'stay' | 'follow' | undefined;
  reason?: string | undefined;
}

export interface TransferResult {
  deviceId: string;
  state: string;
  accountId: string;
  previousAccountId: string;
  credentials: DeviceCredentials;
  telemetry: Pick<TelemetryTransferResult, 'moved' | 'retained'>;
}

/**
 * POST /provisioning/v1/devices/{id}/transfer (seed 000 §5 "Ownership Transfers", seed 002 "Account
 * Transfer"): the owner (or a platform admin) moves the device to an existing account; every
 * credential is rotated, the target attributes and M2M client scope follow, telemetry moves by type.
 */
@Injectable()
export class TransferDeviceUseCase {
  constructor(
    @Inject(DeviceAccess) private readonly access: DeviceAccess,
    @Inject(DevicesRepository) private readonly devices: DevicesRepository,
    @Inject(AccountDirectory) private readonly accounts: AccountDirectory,
    @Inject(DeviceReprovisioner) private readonly reprovisioner: DeviceReprovisioner,
    @Inject(IdempotencyService) private readonly idempotency: IdempotencyService,
    @Inject(OperationLocks) private readonly locks: OperationLocks,
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
  ) {}

  async execute(
    principal: Principal,
    deviceId: string,
    request: TransferRequest,
    idempotencyKey?: string,
  ): Promise<TransferResult> {
    const key = this.idempotency.validateKey(idempotencyKey);
    return this.idempotency.run(principal.accountId, key, 'transfer', { deviceId, request }, () =>
      this.transfer(principal, deviceId, request),
    );
  }

  private async transfer(principal: Principal, deviceId: string, request: TransferRequest): Promise<TransferResult> {
    const visible = await this.access.writable(principal, deviceId);
    const target = await this.accounts.find(request.targetAccountId);
    if (!target) throw new TargetAccountNotFoundError(request.targetAccountId);
    if (target.id === visible.accountId) throw new SameAccountTransferError(target.id);
    return this.locks.withLock(`device:${visible.id}`, 'transfer', async () => {
      const device = (await this.devices.findById(visible.id)) ?? visible;
      // Re-checked under the lease: the owner may have changed while we waited.
      if (device.accountId !== visible.accountId) await this.access.writable(principal, deviceId);
      const result = await this.reprovisioner.apply({
        device,
        command: 'transfer',
        targetAccountId: target.id,
        targetOwnerPath: target.path,
        changes: {},
        m2m: device.m2mClientId !== null,
        applicationTelemetry: request.applicationTelemetry ?? this.config.APPLICATION_TELEMETRY_ON_TRANSFER,
        actor: principal.subject,
        historyAction: 'TRANSFERRED',
        reason: request.reason ?? null,
        events: () => [],
      });
      return {
        deviceId: result.device.id,
        state: result.device.state,
        accountId: result.device.accountId,
        previousAccountId: result.previousAccountId,
        credentials: result.credentials,
        telemetry: { moved: result.telemetry?.moved ?? [], retained: result.telemetry?.retained ?? [] },
      };
    });
  }
}
