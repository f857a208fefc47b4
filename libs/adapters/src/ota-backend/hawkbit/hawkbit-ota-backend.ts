import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { z } from 'zod';
import type {
  DdiForwardRequest,
  DdiForwardResponse,
  OtaBackend,
  OtaBackendAction,
  OtaBackendActionType,
  OtaBackendArtifact,
  OtaBackendModuleInput,
  OtaBackendTargetInput,
} from '../ota-backend.port.js';
import type { HawkbitConfig } from './hawkbit.config.js';
import { HawkbitRejectedError, HawkbitUnavailableError } from './hawkbit.errors.js';
import { hawkbitModuleType, hawkbitSetType } from './hawkbit.mapper.js';
import {
  hawkbitActionPageSchema,
  hawkbitActionSchema,
  hawkbitActionStatusPageSchema,
  hawkbitArtifactSchema,
  hawkbitAssignmentSchema,
  hawkbitCreatedListSchema,
  hawkbitCreatedTargetsSchema,
  hawkbitErrorSchema,
  hawkbitMetadataPageSchema,
} from './hawkbit.types.js';

interface CallOptions<T> {
  data?: unknown;
  params?: Record<string, string>;
  headers?: Record<string, string>;
  schema?: z.ZodType<T>;
  /** Statuses that are an answer rather than a failure (e.g. 404 on delete). */
  accept?: number[];
}

/** Headers of hawkBit's DDI answers a device may need; hop-by-hop and server internals stay behind. */
const DDI_ANSWER_HEADERS = [
  'content-type',
  'content-length',
  'content-range',
  'content-disposition',
  'accept-ranges',
  'etag',
  'last-modified',
  'cache-control',
  'x-content-type-options',
];

const enc = encodeURIComponent;

/** The request met a connection the server had already closed (no answer was started). */
function isStaleConnection(error: unknown): boolean {
  const code = (error as { code?: unknown; response?: unknown })?.code;
  return (
    (error as { response?: unknown })?.response === undefined &&
    (code === 'ECONNRESET' || code === 'EPIPE' || (error instanceof Error && error.message === 'socket hang up'))
  );
}

function networkCause(error: unknown): Error {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(typeof code === 'string' ? `${code}: ${message}` : message);
}

/**
 * The OTA backend port on the Eclipse hawkBit update server: its Management API (`/rest/v1`,
 * HTTP Basic) for targets, metadata, software modules, artifacts, distribution sets and
 * assignments, and its DDI (`/<tenant>/controller/v1/<controllerId>`) for forwarded device
 * requests, which carry the device's own TargetToken. Answers are parsed at the edge.
 */
export class HawkbitOtaBackend implements OtaBackend {
  private readonly http: AxiosInstance;
  private readonly ddiHttp: AxiosInstance;
  readonly ddiLinkPrefix: string;

  constructor(config: HawkbitConfig) {
    const base = config.HAWKBIT_URL.replace(/\/$/, '');
    const basic = Buffer.from(`${config.HAWKBIT_USER}:${config.HAWKBIT_PASSWORD}`).toString('base64');
    this.http = axios.create({
      baseURL: `${base}/rest/v1`,
      timeout: config.HAWKBIT_TIMEOUT_MS,
      validateStatus: () => true,
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      headers: { accept: 'application/json', authorization: `Basic ${basic}` },
    });
    const ddiBase = `${base}/${enc(config.HAWKBIT_TENANT)}/controller/v1/`;
    this.ddiLinkPrefix = ddiBase;
    // No credentials of ours on the DDI: the device's own Authorization header is forwarded.
    this.ddiHttp = axios.create({
      baseURL: ddiBase,
      timeout: config.HAWKBIT_TIMEOUT_MS,
      validateStatus: () => true,
      maxRedirects: 0,
      decompress: false,
      responseType: 'stream',
    });
  }

  async upsertTarget(input: OtaBackendTargetInput): Promise<{ created: boolean }> {
    const body = [{ controllerId: input.controllerId, name: input.name, securityToken: input.securityToken }];
    const created = await this.call('POST', '/targets', 'createTarget', {
      data: body,
      accept: [409],
      schema: hawkbitCreatedTargetsSchema.optional(),
    });
    if (created) return { created: true };
    // 409: hawkBit has it already (an earlier enrolment of the same device): take it over.
    await this.updateTarget(input.controllerId, { name: input.name, securityToken: input.securityToken });
    return { created: false };
  }

  async updateTarget(controllerId: string, change: { name?: string; securityToken?: string }): Promise<void> {
    await this.call('PUT', `/targets/${enc(controllerId)}`, 'updateTarget', { data: change });
  }

  async deleteTarget(controllerId: string): Promise<boolean> {
    const response = await this.exchange('DELETE', `/targets/${enc(controllerId)}`, 'deleteTarget', {});
    if (response.status === 404) return false;
    this.refuse('deleteTarget', response);
    return true;
  }

  async putTargetMetadata(controllerId: string, entries: Record<string, string | null>): Promise<void> {
    const path = `/targets/${enc(controllerId)}/metadata`;
    const values = Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== null);
    // hawkBit creates keys with one POST of them all (409 when one exists), replaces a key with PUT
    // on it (404 when it does not exist) and removes one with DELETE.
    const created =
      values.length > 0 &&
      (await this.exchange('POST', path, 'putTargetMetadata', {
        data: values.map(([key, value]) => ({ key, value })),
      }));
    if (created && created.status !== 409) this.refuse('putTargetMetadata', created);
    for (const [key, value] of Object.entries(entries)) {
      const keyPath = `${path}/${enc(key)}`;
      if (value === null) await this.call('DELETE', keyPath, 'deleteTargetMetadata', { accept: [404] });
      else if (created && created.status === 409) {
        const replaced = await this.exchange('PUT', keyPath, 'putTargetMetadata', { data: { value } });
        if (replaced.status === 404) {
          await this.call('POST', path, 'putTargetMetadata', { data: [{ key, value }] });
        } else this.refuse('putTargetMetadata', replaced);
      }
    }
  }

  async targetMetadata(controllerId: string): Promise<Record<string, string>> {
    const page = await this.call('GET', `/targets/${enc(controllerId)}/metadata`, 'targetMetadata', {
      params: { limit: '500' },
      schema: hawkbitMetadataPageSchema,
    });
    return Object.fromEntries(page.content.map((entry) => [entry.key, entry.value ?? '']));
  }

  async createSoftwareModule(input: OtaBackendModuleInput): Promise<{ id: number }> {
    const [created] = await this.call('POST', '/softwaremodules', 'createSoftwareModule', {
      data: [
        {
          name: input.name,
          version: input.version,
          type: hawkbitModuleType(input.part),
          ...(input.vendor !== null ? { vendor: input.vendor } : {}),
          ...(input.description !== null ? { description: input.description } : {}),
        },
      ],
      schema: hawkbitCreatedListSchema,
    });
    return { id: created!.id };
  }

  async deleteSoftwareModule(id: number): Promise<void> {
    await this.call('DELETE', `/softwaremodules/${id}`, 'deleteSoftwareModule', { accept: [404] });
  }

  async uploadArtifact(
    moduleId: number,
    file: { filename: string; size: number; sha1: string; md5: string; sha256: string; content: Readable },
  ): Promise<OtaBackendArtifact> {
    // multipart/form-data written by hand around the file stream: nothing is buffered whole, and
    // the exact Content-Length is known (hawkBit's servlet container wants no chunked multipart).
    const boundary = `----flexgalaxy-${randomBytes(12).toString('hex')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename.replace(/"/g, '%22')}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const content = file.content;
    const body = Readable.from(
      (async function* () {
        yield head;
        for await (const chunk of content) yield chunk as Buffer;
        yield tail;
      })(),
    );
    const artifact = await this.call('POST', `/softwaremodules/${moduleId}/artifacts`, 'uploadArtifact', {
      data: body,
      // hawkBit verifies the bytes against our hashes and refuses a mismatch.
      params: { filename: file.filename, md5sum: file.md5, sha1sum: file.sha1, sha256sum: file.sha256 },
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + file.size + tail.length),
      },
      schema: hawkbitArtifactSchema,
    });
    return { id: artifact.id, size: artifact.size, ...artifact.hashes };
  }

  async createDistributionSet(input: {
    name: string;
    version: string;
    description: string | null;
    modules: { id: number; part: string }[];
  }): Promise<{ id: number }> {
    const [created] = await this.call('POST', '/distributionsets', 'createDistributionSet', {
      data: [
        {
          name: input.name,
          version: input.version,
          type: hawkbitSetType(input.modules.map((module) => module.part)),
          modules: input.modules.map((module) => ({ id: module.id })),
          ...(input.description !== null ? { description: input.description } : {}),
        },
      ],
      schema: hawkbitCreatedListSchema,
    });
    const id = created!.id;
    // hawkBit locks a set at its first assignment, an update of the set's row: devices of a fleet
    // taking their first deployment of a new set at once then race on it and all but one get a
    // 500. Our sets never change after creation, so lock it now, before any device sees it.
    try {
      await this.call('PUT', `/distributionsets/${id}`, 'createDistributionSet', { data: { locked: true } });
    } catch (error) {
      await this.deleteDistributionSet(id).catch(() => undefined);
      throw error;
    }
    return { id };
  }

  async deleteDistributionSet(id: number): Promise<void> {
    await this.call('DELETE', `/distributionsets/${id}`, 'deleteDistributionSet', { accept: [404] });
  }

  async assign(
    controllerId: string,
    distributionSetId: number,
    type: OtaBackendActionType,
  ): Promise<{ actionId: number }> {
    const result = await this.call('POST', `/targets/${enc(controllerId)}/assignedDS`, 'assign', {
      data: [{ id: distributionSetId, type }],
      schema: hawkbitAssignmentSchema,
    });
    const assigned = result.assignedActions[0];
    if (assigned) return { actionId: assigned.id };
    // Already assigned: an open action of ours whose recording was lost is taken over; a set
    // installed or failed before cannot be assigned again without hawkBit's multi-assignment.
    const action = await this.openActionFor(controllerId, distributionSetId);
    if (!action) {
      throw new HawkbitRejectedError('assign', 409, {
        errorCode: 'hawkbit.alreadyAssigned',
        message: 'the distribution set is already assigned to the target and has no open action',
      });
    }
    return { actionId: action };
  }

  /** The newest open action of a target for a distribution set (the list names no set: details do). */
  private async openActionFor(controllerId: string, distributionSetId: number): Promise<number | null> {
    const open = await this.call('GET', `/targets/${enc(controllerId)}/actions`, 'assign', {
      params: { q: 'status==pending', sort: 'id:DESC', limit: '10' },
      schema: hawkbitActionPageSchema,
    });
    for (const candidate of open.content) {
      const detail = await this.call('GET', `/targets/${enc(controllerId)}/actions/${candidate.id}`, 'assign', {
        schema: hawkbitActionSchema,
      });
      if (detail.active && detail._links?.distributionset?.href.endsWith(`/distributionsets/${distributionSetId}`))
        return detail.id;
    }
    return null;
  }

  async action(controllerId: string, actionId: number): Promise<OtaBackendAction> {
    const action = await this.call('GET', `/targets/${enc(controllerId)}/actions/${actionId}`, 'action', {
      schema: hawkbitActionSchema,
    });
    if (action.detailStatus) return { id: action.id, active: action.active, status: action.detailStatus };
    // hawkBit 0.3 answers pending/finished only: the newest entry of the status history says more.
    const history = await this.call('GET', `/targets/${enc(controllerId)}/actions/${actionId}/status`, 'action', {
      params: { sort: 'id:DESC', limit: '1' },
      schema: hawkbitActionStatusPageSchema,
    });
    return { id: action.id, active: action.active, status: history.content[0]?.type ?? action.status };
  }

  async cancelAction(controllerId: string, actionId: number): Promise<void> {
    // 405: already canceling or canceled (CancelActionNotAllowedException); 404: no such action.
    await this.call('DELETE', `/targets/${enc(controllerId)}/actions/${actionId}`, 'cancelAction', {
      accept: [204, 404, 405],
    });
  }

  async forwardDdi(request: DdiForwardRequest): Promise<DdiForwardResponse> {
    const send = () =>
      this.ddiHttp.request<Readable>({
        method: request.method,
        url: `${enc(request.controllerId)}${request.path}${request.query ? `?${request.query}` : ''}`,
        headers: request.headers,
        ...(request.body !== undefined ? { data: request.body } : {}),
      });
    let response: AxiosResponse<Readable>;
    try {
      response = await send().catch((error: unknown) => {
        // A kept-alive socket hawkBit closed meanwhile: an idempotent request is sent again once.
        if (request.method === 'GET' && isStaleConnection(error)) return send();
        throw error;
      });
    } catch (error) {
      throw new HawkbitUnavailableError('ddi', networkCause(error));
    }
    const headers: Record<string, string> = {};
    for (const name of DDI_ANSWER_HEADERS) {
      const value = response.headers[name] as unknown;
      if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
    }
    return { status: response.status, headers, body: response.data };
  }

  private async exchange(
    method: Method,
    path: string,
    operation: string,
    options: Pick<CallOptions<unknown>, 'data' | 'params' | 'headers'>,
  ): Promise<AxiosResponse> {
    try {
      return await this.http.request({
        method,
        url: path,
        ...(options.params ? { params: options.params } : {}),
        ...(options.data !== undefined ? { data: options.data } : {}),
        headers: {
          ...(options.data !== undefined && !(options.data instanceof Readable)
            ? { 'content-type': 'application/json' }
            : {}),
          ...options.headers,
        },
      });
    } catch (error) {
      throw new HawkbitUnavailableError(operation, networkCause(error));
    }
  }

  private async call<T>(method: Method, path: string, operation: string, options: CallOptions<T>): Promise<T> {
    const response = await this.exchange(method, path, operation, options);
    if (options.accept?.includes(response.status)) return undefined as T;
    this.refuse(operation, response);
    if (!options.schema) return undefined as T;
    const parsed = options.schema.safeParse(response.data);
    if (!parsed.success) {
      throw new HawkbitUnavailableError(operation, new Error(`unexpected hawkBit answer: ${parsed.error.message}`));
    }
    return parsed.data;
  }

  private refuse(operation: string, response: AxiosResponse): void {
    if (response.status < 400) return;
    const reason = hawkbitErrorSchema.safeParse(response.data);
    const detail = reason.success ? reason.data : {};
    // Our own credentials refused, throttled (hawkBit's DoS filter) or a server failure.
    if (response.status >= 500 || response.status === 401 || response.status === 403 || response.status === 429) {
      throw new HawkbitUnavailableError(
        operation,
        new Error(`hawkBit answered ${response.status}: ${detail.errorCode ?? ''} ${detail.message ?? ''}`.trim()),
      );
    }
    throw new HawkbitRejectedError(operation, response.status, detail);
  }
}
