import type { ServiceTokenSource } from '@flexgalaxy/auth';
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import { OtaBackendUnavailableError, OtaTargetNotFoundError, OtaTargetRejectedError } from '../ota-targets.errors.js';
import type { OtaTarget, OtaTargetInput, OtaTargetPatch, OtaTargets } from '../ota-targets.port.js';
import { otaForgeErrorSchema, otaForgeTargetSchema, type OtaForgeTarget } from './ota-forge.types.js';

export interface OtaForgeTargetsClientConfig {
  /** OTA Forge's base URL, e.g. `http://127.0.0.1:8080` in the platform. */
  url: string;
  timeoutMs: number;
}

function toTarget(target: OtaForgeTarget): OtaTarget {
  return {
    controllerId: target.controllerId,
    accountId: target.accountId,
    enabled: target.enabled,
    attributes: { ...target.attributes, capabilities: [...target.attributes.capabilities] },
    createdAt: new Date(target.createdAt),
    updatedAt: new Date(target.updatedAt),
  };
}

function reasonOf(response: AxiosResponse): string {
  const parsed = otaForgeErrorSchema.safeParse(response.data);
  if (parsed.success) return parsed.data.code ? `${parsed.data.code}: ${parsed.data.message}` : parsed.data.message;
  return typeof response.data === 'string' ? response.data.slice(0, 500) : '';
}

/**
 * The OTA targets port over OTA Forge's HTTP API (`/ota/v1/targets/{controllerId}`), authenticated
 * with this process's service token (platform admin). The controller id is encoded in the path,
 * so any device id the platform issues is safe in it.
 */
export class OtaForgeTargetsClient implements OtaTargets {
  private readonly http: AxiosInstance;

  constructor(
    config: OtaForgeTargetsClientConfig,
    private readonly tokens: Pick<ServiceTokenSource, 'token'>,
  ) {
    this.http = axios.create({
      baseURL: config.url.replace(/\/$/, ''),
      timeout: config.timeoutMs,
      validateStatus: () => true,
      headers: { accept: 'application/json' },
    });
  }

  async upsertTarget(controllerId: string, input: OtaTargetInput): Promise<OtaTarget & { created: boolean }> {
    const response = await this.exchange('upsertTarget', 'PUT', controllerId, input);
    this.refuseErrors('upsertTarget', controllerId, response);
    return { ...this.parse('upsertTarget', response), created: response.status === 201 };
  }

  async updateTarget(controllerId: string, patch: OtaTargetPatch): Promise<OtaTarget> {
    const response = await this.exchange('updateTarget', 'PATCH', controllerId, patch);
    this.refuseErrors('updateTarget', controllerId, response);
    return this.parse('updateTarget', response);
  }

  async deleteTarget(controllerId: string): Promise<void> {
    const response = await this.exchange('deleteTarget', 'DELETE', controllerId, undefined);
    this.refuseErrors('deleteTarget', controllerId, response);
  }

  private async exchange(operation: string, method: Method, controllerId: string, data: unknown) {
    let token: string;
    try {
      token = await this.tokens.token();
    } catch (error) {
      throw new OtaBackendUnavailableError(operation, error);
    }
    try {
      return await this.http.request({
        method,
        url: `/ota/v1/targets/${encodeURIComponent(controllerId)}`,
        data,
        // Only with a body: Fastify (OTA Forge) refuses a JSON content type with an empty body.
        headers: {
          authorization: `Bearer ${token}`,
          ...(data === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
    } catch (error) {
      throw new OtaBackendUnavailableError(operation, error);
    }
  }

  private refuseErrors(operation: string, controllerId: string, response: AxiosResponse): void {
    if (response.status < 400) return;
    // Our own token refused, throttled or a server failure: nothing the caller's input can fix.
    if (response.status >= 500 || response.status === 401 || response.status === 403 || response.status === 429) {
      throw new OtaBackendUnavailableError(
        operation,
        new Error(`OTA Forge answered ${response.status}: ${reasonOf(response)}`),
      );
    }
    if (response.status === 404) throw new OtaTargetNotFoundError(controllerId);
    throw new OtaTargetRejectedError(operation, response.status, reasonOf(response));
  }

  private parse(operation: string, response: AxiosResponse): OtaTarget {
    const parsed = otaForgeTargetSchema.safeParse(response.data);
    if (!parsed.success) {
      throw new OtaBackendUnavailableError(
        operation,
        new Error(`unexpected OTA Forge answer: ${parsed.error.message}`),
      );
    }
    return toTarget(parsed.data);
  }
}
