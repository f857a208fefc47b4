import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** A target as the fake stores it: the token only as its sha256, as OTA Forge does. */
export interface OtaForgeFakeTarget {
  controllerId: string;
  accountId: string;
  name: string;
  tokenHash: string;
  enabled: boolean;
  attributes: Record<string, unknown> & { capabilities: string[] };
  createdAt: string;
  updatedAt: string;
}

export interface OtaForgeFakeOptions {
  /**
   * Decides whether a bearer token is a platform admin's. Defaults to any non-empty token; tests
   * that boot the real issuer pass a check against it.
   */
  acceptBearer?: (token: string) => boolean | Promise<boolean>;
  /** DDI tenant (`DDI_TENANT`), `DEFAULT` as everywhere in the platform. */
  tenant?: string;
}

const attributesSchema = z
  .object({
    type: z.string().min(1),
    model: z.string().min(1).nullable(),
    revision: z.string().min(1).nullable(),
    manufacturer: z.string().min(1),
    serial: z.string().min(1),
    firmwareVersion: z.string().min(1).nullable(),
    capabilities: z.array(z.string().min(1)),
    timezone: z.string().min(1).nullable(),
  })
  .strict();

const putSchema = z
  .object({
    accountId: z.string().min(1),
    name: z.string().min(1).max(255),
    securityToken: z.string().min(32).max(512),
    attributes: attributesSchema,
  })
  .strict();

const patchSchema = z
  .object({
    accountId: z.string().min(1).optional(),
    securityToken: z.string().min(32).max(512).optional(),
    attributes: attributesSchema.partial().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

class FakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An HTTP fake of OTA Forge's targets API and DDI authentication, built from the contract the
 * lead fixed (OTA Forge itself is being written at the same time): `PUT/PATCH/DELETE
 * /ota/v1/targets/{controllerId}` behind a platform-admin bearer token, and the DDI root resource
 * `GET /{tenant}/controller/v1/{controllerId}` behind `Authorization: TargetToken <token>`, which
 * answers 401 for an unknown, rotated-out or disabled target's token. Failures can be injected.
 */
export class OtaForgeFake {
  readonly targets = new Map<string, OtaForgeFakeTarget>();
  /** `METHOD /path` of every request, in order. */
  readonly requests: string[] = [];
  private server: Server | undefined;
  private failures: { method: string; status: number }[] = [];
  private readonly acceptBearer: (token: string) => boolean | Promise<boolean>;
  private readonly tenant: string;

  constructor(options: OtaForgeFakeOptions = {}) {
    this.acceptBearer = options.acceptBearer ?? ((token) => token.length > 0);
    this.tenant = options.tenant ?? 'DEFAULT';
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the OTA Forge fake is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const failure = error instanceof FakeError ? error : new FakeError(500, 'INTERNAL', (error as Error).message);
        send(response, failure.status, { code: failure.code, message: failure.message });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next management request with this method (`PUT`, `PATCH`, `DELETE`, or `*`) answers `status`. */
  failNext(method: string, status = 503): void {
    this.failures.push({ method, status });
  }

  /** What the DDI endpoint answers to this token for this controller (200 or 401), as a device would see it. */
  async ddiStatus(controllerId: string, securityToken: string): Promise<number> {
    const response = await fetch(`${this.url}/${this.tenant}/controller/v1/${encodeURIComponent(controllerId)}`, {
      headers: { authorization: `TargetToken ${securityToken}` },
    });
    await response.arrayBuffer();
    return response.status;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    const ddi = url.pathname.match(/^\/([^/]+)\/controller\/v1\/([^/]+)$/);
    if (ddi && method === 'GET') return this.ddiRoot(request, response, ddi[1]!, decodeURIComponent(ddi[2]!));
    const target = url.pathname.match(/^\/ota\/v1\/targets\/([^/]+)$/);
    if (!target) throw new FakeError(404, 'RESOURCE.NOT_FOUND', 'no such route');
    await this.requireAdmin(request);
    const failure = this.failures.findIndex((f) => f.method === method || f.method === '*');
    if (failure >= 0) {
      const status = this.failures.splice(failure, 1)[0]?.status ?? 503;
      throw new FakeError(status, 'INJECTED', `injected failure ${status}`);
    }
    const controllerId = decodeURIComponent(target[1]!);
    const body = await readJson(request);
    switch (method) {
      case 'PUT':
        return this.put(response, controllerId, body);
      case 'PATCH':
        return this.patch(response, controllerId, body);
      case 'DELETE':
        if (!this.targets.delete(controllerId)) throw new FakeError(404, 'TARGET.NOT_FOUND', 'target not found');
        response.writeHead(204).end();
        return;
      default:
        throw new FakeError(405, 'REQUEST.METHOD_NOT_ALLOWED', 'method not allowed');
    }
  }

  private put(response: ServerResponse, controllerId: string, body: unknown): void {
    const input = parse(putSchema, body);
    const now = new Date().toISOString();
    const existing = this.targets.get(controllerId);
    const target: OtaForgeFakeTarget = {
      controllerId,
      accountId: input.accountId,
      name: input.name,
      tokenHash: sha256(input.securityToken),
      enabled: existing?.enabled ?? true,
      attributes: { ...input.attributes },
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.targets.set(controllerId, target);
    send(response, existing ? 200 : 201, view(target));
  }

  private patch(response: ServerResponse, controllerId: string, body: unknown): void {
    const patch = parse(patchSchema, body);
    const target = this.targets.get(controllerId);
    if (!target) throw new FakeError(404, 'TARGET.NOT_FOUND', 'target not found');
    if (patch.accountId !== undefined) target.accountId = patch.accountId;
    if (patch.securityToken !== undefined) target.tokenHash = sha256(patch.securityToken);
    if (patch.enabled !== undefined) target.enabled = patch.enabled;
    if (patch.attributes) target.attributes = { ...target.attributes, ...patch.attributes } as typeof target.attributes;
    target.updatedAt = new Date().toISOString();
    send(response, 200, view(target));
  }

  private ddiRoot(request: IncomingMessage, response: ServerResponse, tenant: string, controllerId: string): void {
    const header = request.headers['authorization'] ?? '';
    const token = header.startsWith('TargetToken ') ? header.slice('TargetToken '.length) : '';
    const target = this.targets.get(controllerId);
    const expected = Buffer.from(target?.tokenHash ?? '0'.repeat(64), 'hex');
    const given = Buffer.from(sha256(token), 'hex');
    if (tenant !== this.tenant || !target || !target.enabled || !token || !timingSafeEqual(expected, given)) {
      send(response, 401, { code: 'DDI.UNAUTHORIZED', message: 'invalid target token' });
      return;
    }
    send(response, 200, { config: { polling: { sleep: '00:05:00' } }, _links: {} });
  }

  private async requireAdmin(request: IncomingMessage): Promise<void> {
    const header = request.headers['authorization'] ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    if (!token) throw new FakeError(401, 'AUTH.UNAUTHENTICATED', 'missing bearer token');
    if (!(await this.acceptBearer(token))) throw new FakeError(403, 'AUTH.FORBIDDEN', 'platform admin required');
  }
}

function view(target: OtaForgeFakeTarget) {
  return {
    controllerId: target.controllerId,
    accountId: target.accountId,
    enabled: target.enabled,
    attributes: target.attributes,
    createdAt: target.createdAt,
    updatedAt: target.updatedAt,
  };
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new FakeError(400, 'REQUEST.INVALID', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  // As Fastify answers (OTA Forge runs on it): a JSON content type promises a body.
  if (!text && request.headers['content-type']?.includes('application/json')) {
    throw new FakeError(400, 'REQUEST.INVALID', "Body cannot be empty when content-type is set to 'application/json'");
  }
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FakeError(400, 'REQUEST.INVALID', 'malformed JSON');
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
