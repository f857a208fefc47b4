import { Inject, Injectable } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import type { OrgConfig } from '../org.config.js';
import { TRANSFERS_CONFIG } from './transfers.config.js';

const transferAnswerSchema = z.object({
  deviceId: z.string(),
  state: z.string(),
  accountId: z.string(),
  previousAccountId: z.string(),
  credentials: z.record(z.string(), z.unknown()),
  telemetry: z.object({ moved: z.array(z.string()), retained: z.array(z.string()) }),
});
const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type TransferAnswer = z.output<typeof transferAnswerSchema>;

export type TransferOutcome =
  | { ok: true; httpStatus: number; transfer: TransferAnswer }
  | { ok: false; httpStatus: number; error: { code: string; message: string; details?: Record<string, unknown> } };

/**
 * Provisioning's public transfer endpoint (POST /provisioning/v1/devices/{id}/transfer), called with
 * the caller's own bearer token: provisioning, not org, decides whether the caller may write the
 * device, so the façade can never widen anyone's rights.
 */
@Injectable()
export class ProvisioningTransfersClient {
  private readonly http: AxiosInstance;

  constructor(@Inject(TRANSFERS_CONFIG) config: OrgConfig) {
    this.http = axios.create({
      baseURL: config.PROVISIONING_URL.replace(/\/$/, ''),
      timeout: config.PROVISIONING_TIMEOUT_MS,
      validateStatus: () => true,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
  }

  async transfer(
    authorization: string,
    deviceId: string,
    body: { targetAccountId: string; applicationTelemetry?: 'stay' | 'follow' | undefined },
    idempotencyKey?: string,
  ): Promise<TransferOutcome> {
    let response;
    try {
      response = await this.http.post(`/provisioning/v1/devices/${encodeURIComponent(deviceId)}/transfer`, body, {
        headers: { authorization, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      });
    } catch (error) {
      return {
        ok: false,
        httpStatus: 503,
        error: {
          code: 'PROVISIONING.UNREACHABLE',
          message: `provisioning could not be reached: ${(error as Error).message}`,
        },
      };
    }
    if (response.status === 200) {
      const parsed = transferAnswerSchema.safeParse(response.data);
      if (parsed.success) return { ok: true, httpStatus: 200, transfer: parsed.data };
      return {
        ok: false,
        httpStatus: 502,
        error: { code: 'PROVISIONING.BAD_ANSWER', message: 'provisioning answered an unexpected body' },
      };
    }
    const parsed = errorSchema.safeParse(response.data);
    return {
      ok: false,
      httpStatus: response.status,
      error: parsed.success
        ? {
            code: parsed.data.code,
            message: parsed.data.message,
            ...(parsed.data.details ? { details: parsed.data.details } : {}),
          }
        : { code: `HTTP.${response.status}`, message: 'provisioning refused the transfer' },
    };
  }
}
