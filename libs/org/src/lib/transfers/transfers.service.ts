import { Inject, Injectable } from '@nestjs/common';
import type { OrgConfig } from '../org.config.js';
import { TRANSFERS_CONFIG } from './transfers.config.js';
import { ProvisioningTransfersClient } from './provisioning-transfers.client.js';

export interface DeviceTransferResult {
  deviceId: string;
  status: 'transferred' | 'failed';
  httpStatus: number;
  accountId?: string;
  previousAccountId?: string;
  credentials?: Record<string, unknown>;
  telemetry?: { moved: string[]; retained: string[] };
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface BatchTransferResult {
  targetAccountId: string;
  results: DeviceTransferResult[];
}

/**
 * DeviceAdmin's batch transfer (seed 000 §5 "Transfer Sequence"): one provisioning transfer per
 * device, TRANSFER_CONCURRENCY at a time, each its own compensating transaction; the batch is not
 * atomic, so every device's outcome is reported and a partial failure is visible, never hidden.
 */
@Injectable()
export class BatchTransferService {
  constructor(
    @Inject(ProvisioningTransfersClient) private readonly provisioning: ProvisioningTransfersClient,
    @Inject(TRANSFERS_CONFIG) private readonly config: OrgConfig,
  ) {}

  async transfer(
    authorization: string,
    request: { deviceIds: string[]; targetAccountId: string; applicationTelemetry?: 'stay' | 'follow' | undefined },
    idempotencyKey?: string,
  ): Promise<BatchTransferResult> {
    const results: DeviceTransferResult[] = new Array<DeviceTransferResult>(request.deviceIds.length);
    let next = 0;
    const worker = async () => {
      while (next < request.deviceIds.length) {
        const index = next++;
        const deviceId = request.deviceIds[index] as string;
        // Each device's transfer is retried on its own key, so a retried batch replays what succeeded.
        const outcome = await this.provisioning.transfer(
          authorization,
          deviceId,
          { targetAccountId: request.targetAccountId, applicationTelemetry: request.applicationTelemetry },
          idempotencyKey ? `${idempotencyKey}:${deviceId}` : undefined,
        );
        results[index] = outcome.ok
          ? {
              deviceId,
              status: 'transferred',
              httpStatus: outcome.httpStatus,
              accountId: outcome.transfer.accountId,
              previousAccountId: outcome.transfer.previousAccountId,
              credentials: outcome.transfer.credentials,
              telemetry: outcome.transfer.telemetry,
            }
          : { deviceId, status: 'failed', httpStatus: outcome.httpStatus, error: outcome.error };
      }
    };
    const workers = Math.min(this.config.TRANSFER_CONCURRENCY, request.deviceIds.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return { targetAccountId: request.targetAccountId, results };
  }
}
