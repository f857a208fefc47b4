import type { Readable } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  HawkbitRejectedError,
  HawkbitUnavailableError,
  OTA_BACKEND,
  type DdiForwardRequest,
  type DdiForwardResponse,
  type OtaBackend,
} from '@flexgalaxy/adapters';
import { DomainError } from '@flexgalaxy/contracts';
import type { Tx } from '@flexgalaxy/db';
import { OTA_FORGE_CONFIG, type OtaForgeConfig } from '../../ota-forge.config.js';
import { ourName } from '../../shared/hawkbit-names.js';
import { configDataBodySchema, feedbackBodySchema, toFeedback } from '../ddi.dto.js';
import type { PollSnapshot } from '../ddi.repository.js';
import { DdiService, DeliveryRefusedError } from '../ddi.service.js';
import { HawkbitActionsRepository } from './hawkbit-actions.repository.js';
import { MergeConfigDataUseCase } from './merge-config-data.use-case.js';

/** A forwarded answer, ready to send: JSON answers already read (and their links rewritten). */
export interface ProxiedAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | Readable;
}

const JSON_BODY_LIMIT = 1024 * 1024;

/** hawkBit's answer body, whole; a connection lost mid-answer is hawkBit being unavailable. */
async function readAll(stream: Readable): Promise<Buffer> {
  try {
    return await readChunks(stream);
  } catch (error) {
    throw new HawkbitUnavailableError('ddi', error);
  }
}

async function readChunks(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    // A DDI JSON answer is small; anything larger is not one we rewrite.
    if (size > JSON_BODY_LIMIT) {
      stream.destroy();
      throw new Error('hawkBit DDI answer too large');
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Replaces every `href` under hawkBit's DDI path with ours (hawkBit's JSON otherwise unchanged). */
function rewriteLinks(value: unknown, hawkbitPath: string, ourPrefix: string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteLinks(item, hawkbitPath, ourPrefix));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key === 'href' && typeof item === 'string') {
        try {
          const url = new URL(item);
          if (url.pathname.startsWith(hawkbitPath)) {
            return [key, `${ourPrefix}${url.pathname.slice(hawkbitPath.length)}${url.search}`];
          }
        } catch {
          return [key, item];
        }
        return [key, item];
      }
      return [key, rewriteLinks(item, hawkbitPath, ourPrefix)];
    }),
  );
}

/**
 * hawkBit mode's DDI: the device is authenticated here (DdiAuthGuard, one indexed lookup), the
 * policy engine decides on the poll (constraints, then the assignment in hawkBit), and the
 * request goes to hawkBit's DDI with the device's own Authorization header. hawkBit's answers
 * come back with their status; links point at us. What hawkBit accepted (feedback, configData)
 * is then recorded in our engine: status history, `ota.action.status_changed`, attributes.
 */
@Injectable()
export class HawkbitDdiProxyService {
  private readonly logger = new Logger('ddi-hawkbit');
  private readonly backend: OtaBackend;
  private readonly hawkbitPath: string;

  constructor(
    @Inject(OTA_FORGE_CONFIG) private readonly config: OtaForgeConfig,
    @Inject(OTA_BACKEND) backend: OtaBackend | null,
    @Inject(DdiService) private readonly ddi: DdiService,
    @Inject(HawkbitActionsRepository) private readonly hawkbitActions: HawkbitActionsRepository,
    @Inject(MergeConfigDataUseCase) private readonly mergeConfigData: MergeConfigDataUseCase,
  ) {
    if (!backend) throw new Error('the hawkBit DDI proxy needs HAWKBIT_URL');
    this.backend = backend;
    this.hawkbitPath = new URL(backend.ddiLinkPrefix).pathname;
  }

  /** Our DDI prefix for links: `<public base>/<tenant>/controller/v1/`. */
  private ourPrefix(publicBase: string): string {
    return `${publicBase}/${encodeURIComponent(this.config.DDI_TENANT)}/controller/v1/`;
  }

  async poll(target: PollSnapshot, request: DdiForwardRequest, publicBase: string): Promise<ProxiedAnswer> {
    let deferredSleep: string | null = null;
    const action = target.action;
    if (action?.status === 'scheduled') {
      deferredSleep = await this.ddi.deliverScheduled(target, action, (tx, actionId) =>
        this.assign(tx, target.controllerId, actionId),
      );
    } else if (action?.status === 'canceling') {
      // Our engine withdrew a delivered action (transfer, revoked grant, superseded): hawkBit
      // cancels it too, so this very poll carries hawkBit's cancelAction link; the device's
      // cancel feedback then closes both.
      const hawkbitActionId = await this.hawkbitActions.hawkbitActionIdOf(action.id);
      if (hawkbitActionId !== null) await this.backend.cancelAction(target.controllerId, hawkbitActionId);
    }
    const answer = await this.forwardJson(request, publicBase);
    if (deferredSleep && answer.json && typeof answer.json === 'object') {
      // Deferred by our constraints: hawkBit knows nothing of it, the device sleeps our sleep.
      const body = answer.json as { config?: { polling?: { sleep?: string } } };
      body.config = { ...body.config, polling: { ...body.config?.polling, sleep: deferredSleep } };
    }
    return this.toAnswer(answer);
  }

  /** Inside the claim's transaction: a failure rolls the claim back, a refusal defers. */
  private async assign(tx: Tx, controllerId: string, actionId: number): Promise<void> {
    const assignment = await this.hawkbitActions.assignmentOf(tx, actionId);
    if (assignment.distributionSetHawkbitId === null) {
      throw new DeliveryRefusedError({ reason: 'backend_refused', retryInSeconds: null });
    }
    try {
      const assigned = await this.backend.assign(
        controllerId,
        assignment.distributionSetHawkbitId,
        assignment.actionType,
      );
      await this.hawkbitActions.recordHawkbitAction(tx, actionId, assigned.actionId);
    } catch (error) {
      if (!(error instanceof HawkbitRejectedError)) throw error;
      this.logger.warn({ controllerId, actionId, details: error.details }, 'hawkBit refused the assignment');
      throw new DeliveryRefusedError({ reason: 'backend_refused', retryInSeconds: null });
    }
  }

  /** deploymentBase, installedBase, cancelAction: hawkBit's answer with our links. */
  async get(request: DdiForwardRequest, publicBase: string): Promise<ProxiedAnswer> {
    const forwarded = await this.forwardJson(request, publicBase);
    const chunks = (forwarded.json as { deployment?: { chunks?: { name?: unknown }[] } } | undefined)?.deployment
      ?.chunks;
    // The software's name as its developer named it, as on the native DDI (hawkBit's is tagged).
    for (const chunk of chunks ?? []) if (typeof chunk.name === 'string') chunk.name = ourName(chunk.name);
    return this.toAnswer(forwarded);
  }

  /** An artifact or its .MD5SUM, streamed both ways; a full download of ours logs its start. */
  async download(target: PollSnapshot, request: DdiForwardRequest, uri: string): Promise<ProxiedAnswer> {
    const answer = await this.backend.forwardDdi(request);
    const action = target.action;
    if (answer.status === 200 && action && (action.status === 'retrieved' || action.status === 'running')) {
      await this.ddi.downloadStarted(target, action.id, uri);
    }
    return { status: answer.status, headers: answer.headers, body: answer.body };
  }

  /** Feedback goes to hawkBit first; once hawkBit took it, our action records the same. */
  async feedback(
    target: PollSnapshot,
    request: DdiForwardRequest,
    hawkbitActionId: number,
    kind: 'deploymentBase' | 'cancelAction',
    body: unknown,
  ): Promise<ProxiedAnswer> {
    const answer = await this.forwardRaw(request);
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = feedbackBodySchema.safeParse(body);
      const actionId = await this.hawkbitActions.actionIdOf(target.controllerId, hawkbitActionId);
      if (parsed.success && actionId !== null) {
        const feedback = toFeedback(parsed.data);
        await this.recordOurs(target, actionId, () =>
          kind === 'deploymentBase'
            ? this.ddi.recordFeedback(target, actionId, feedback)
            : this.ddi.recordCancelFeedback(target, actionId, feedback),
        );
      }
    }
    return answer;
  }

  async configData(target: PollSnapshot, request: DdiForwardRequest, body: unknown): Promise<ProxiedAnswer> {
    const answer = await this.forwardRaw(request);
    const parsed = configDataBodySchema.safeParse(body);
    if (answer.status >= 200 && answer.status < 300 && parsed.success) {
      await this.mergeConfigData.execute(target.controllerId, parsed.data.mode, parsed.data.data);
    }
    return answer;
  }

  /**
   * hawkBit holds the truth once it accepted the device's report, so our engine's refusal (an
   * action it already closed) is logged, not answered: the device did nothing wrong.
   */
  private async recordOurs(target: PollSnapshot, actionId: number, record: () => Promise<void>): Promise<void> {
    try {
      await record();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn({ controllerId: target.controllerId, actionId, code: error.code }, 'feedback not applied here');
    }
  }

  private async forwardRaw(request: DdiForwardRequest): Promise<ProxiedAnswer> {
    const answer = await this.backend.forwardDdi(request);
    return { status: answer.status, headers: answer.headers, body: await readAll(answer.body) };
  }

  private async forwardJson(
    request: DdiForwardRequest,
    publicBase: string,
  ): Promise<{ answer: DdiForwardResponse; raw: Buffer; json: unknown }> {
    const answer = await this.backend.forwardDdi(request);
    const raw = await readAll(answer.body);
    const isJson = (answer.headers['content-type'] ?? '').includes('json');
    if (answer.status !== 200 || !isJson || raw.length === 0) return { answer, raw, json: undefined };
    try {
      const json: unknown = JSON.parse(raw.toString('utf8'));
      return { answer, raw, json: rewriteLinks(json, this.hawkbitPath, this.ourPrefix(publicBase)) };
    } catch {
      return { answer, raw, json: undefined };
    }
  }

  private toAnswer(forwarded: { answer: DdiForwardResponse; raw: Buffer; json: unknown }): ProxiedAnswer {
    const { 'content-length': _length, ...headers } = forwarded.answer.headers;
    const body = forwarded.json === undefined ? forwarded.raw : Buffer.from(JSON.stringify(forwarded.json));
    return { status: forwarded.answer.status, headers, body };
  }
}
