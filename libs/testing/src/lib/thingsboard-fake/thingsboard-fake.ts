import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FakeHttpError,
  isRecord,
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
  TB_ERROR,
} from './thingsboard-fake.http.js';
import { thingsboardRoutes, type Route } from './thingsboard-fake.routes.js';
import { ThingsboardFakeState } from './thingsboard-fake.state.js';

export interface ThingsboardFakeOptions {
  username?: string;
  password?: string;
  /** Lifetime of the JWTs it issues; short values exercise the client's re-login. */
  tokenTtlMs?: number;
}

/**
 * An HTTP fake of the part of ThingsBoard's REST API the device-registry adapter uses (ThingsBoard
 * itself cannot run here): tenant-admin login, devices, ACCESS_TOKEN credentials, customers,
 * attributes, latest telemetry, and the device HTTP API. Paths, payloads and error answers follow
 * ThingsBoard's controllers: 401 without a valid `X-Authorization: Bearer` JWT (errorCode 10, 11
 * once expired), 404 for an unknown id, 400 for a bad body. REST only: no MQTT transport.
 */
export class ThingsboardFake {
  readonly state = new ThingsboardFakeState();
  /** `METHOD /path` of every request, in order: lets tests count logins or calls. */
  readonly requests: string[] = [];
  private readonly username: string;
  private readonly password: string;
  private readonly tokenTtlMs: number;
  private readonly tokens = new Map<string, number>();
  private readonly routes: Route[];
  private server: Server | undefined;
  private unavailableFor = 0;

  constructor(options: ThingsboardFakeOptions = {}) {
    this.username = options.username ?? 'tenant@thingsboard.org';
    this.password = options.password ?? 'tenant';
    this.tokenTtlMs = options.tokenTtlMs ?? 15 * 60_000;
    this.routes = thingsboardRoutes(this.state);
  }

  /** Base URL, e.g. `http://127.0.0.1:43121` (after start()). */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the ThingsBoard fake is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  get credentials(): { username: string; password: string } {
    return { username: this.username, password: this.password };
  }

  /** Listens on 127.0.0.1 on a free port. */
  async start(): Promise<this> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) =>
        sendError(response, new FakeHttpError(500, error.message)),
      );
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

  /** Answers the next `count` requests with 503, as a ThingsBoard behind a restarting proxy would. */
  failNextRequests(count: number): void {
    this.unavailableFor = count;
  }

  /** Expires every JWT issued so far (ThingsBoard answers errorCode 11 "Token has expired"). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const method = request.method ?? 'GET';
    this.requests.push(`${method} ${url.pathname}`);
    const body = await readBody(request);
    if (this.unavailableFor > 0) {
      this.unavailableFor -= 1;
      return sendError(response, new FakeHttpError(503, 'Service Unavailable', TB_ERROR.GENERAL));
    }
    try {
      if (method === 'POST' && url.pathname === '/api/auth/login') return sendJson(response, 200, this.login(body));
      const candidates = this.routes.filter((route) => route.pattern.test(url.pathname));
      const route = candidates.find((candidate) => candidate.method === method);
      if (!route) {
        throw candidates.length > 0
          ? new FakeHttpError(405, `Request method '${method}' is not supported`, TB_ERROR.BAD_REQUEST_PARAMS)
          : new FakeHttpError(404, 'Not Found', TB_ERROR.ITEM_NOT_FOUND);
      }
      if (route.authenticated) this.authenticate(request);
      const params = (route.pattern.exec(url.pathname) ?? []).slice(1).map(decodeURIComponent);
      const answer = route.handle({ params, query: url.searchParams, body });
      if (answer.json === undefined) {
        response.writeHead(answer.status);
        response.end();
      } else {
        sendJson(response, answer.status, answer.json);
      }
    } catch (error) {
      if (error instanceof FakeHttpError) return sendError(response, error);
      throw error;
    }
  }

  private login(body: string) {
    const credentials = parseJsonBody(body);
    if (
      !isRecord(credentials) ||
      credentials['username'] !== this.username ||
      credentials['password'] !== this.password
    ) {
      throw new FakeHttpError(401, 'Invalid username or password', TB_ERROR.AUTHENTICATION);
    }
    const token = `${randomBytes(24).toString('base64url')}.fake-jwt`;
    this.tokens.set(token, Date.now() + this.tokenTtlMs);
    return { token, refreshToken: randomBytes(24).toString('base64url'), scope: 'TENANT_ADMIN' };
  }

  private authenticate(request: IncomingMessage): void {
    const header = request.headers['x-authorization'];
    const token =
      typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (expiresAt === undefined) throw new FakeHttpError(401, 'Authentication failed', TB_ERROR.AUTHENTICATION);
    if (expiresAt <= Date.now()) throw new FakeHttpError(401, 'Token has expired', TB_ERROR.JWT_TOKEN_EXPIRED);
  }
}
