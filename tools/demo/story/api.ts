/**
 * The story's only way into the platform: its public HTTP API, as any client would call it.
 */

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  /** A bearer token, or a full Authorization header value (`TargetToken …`). */
  token?: string;
  authorization?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request the story expected to succeed did not; carries what the platform answered. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly answer: unknown,
  ) {
    super(`${method} ${path} answered ${status}: ${JSON.stringify(answer)}`);
  }
}

/**
 * Where each API lives when the services run as separate processes: path prefix → base URL
 * (`{ '/ota/': 'http://127.0.0.1:8082' }`); the longest matching prefix wins, others go to baseUrl.
 */
export type ApiRoutes = Record<string, string>;

export class Api {
  private readonly prefixes: [string, string][];

  constructor(
    readonly baseUrl: string,
    routes: ApiRoutes = {},
  ) {
    this.prefixes = Object.entries(routes)
      .map(([prefix, base]): [string, string] => [prefix, base.replace(/\/$/, '')])
      .sort(([a], [b]) => b.length - a.length);
  }

  /** The base URL that serves `path`. */
  baseFor(path: string): string {
    return this.prefixes.find(([prefix]) => path.startsWith(prefix))?.[1] ?? this.baseUrl;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const url = path.startsWith('http') ? path : `${this.baseFor(path)}${path}`;
    const raw = options.body instanceof Uint8Array;
    const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
    const response = await fetch(url, {
      method,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(options.body === undefined
          ? {}
          : { 'content-type': raw ? 'application/octet-stream' : 'application/json' }),
        ...options.headers,
      },
      body:
        options.body === undefined
          ? undefined
          : options.body instanceof Uint8Array
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = {};
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = { text };
      }
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  /** Calls and insists on one of `expected` statuses (the first by default 2xx). */
  async expect<T = Record<string, unknown>>(
    expected: number | number[],
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<T> {
    const answer = await this.call<T>(method, path, options);
    const accepted = Array.isArray(expected) ? expected : [expected];
    if (!accepted.includes(answer.status)) throw new ApiError(method, path, answer.status, answer.body);
    return answer.body;
  }
}

interface TokenResponse {
  access_token: string;
  expires_in?: number;
}

/**
 * An OAuth2 client (client credentials grant): the bootstrap platform admin, or an account's
 * service user. Tokens are reused until shortly before they expire.
 */
export class ClientCredentials {
  private cached: { token: string; expiresAt: number } | null = null;

  constructor(
    readonly clientId: string,
    private readonly clientSecret: string,
    readonly tokenEndpoint: string,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.cached.expiresAt - Date.now() > 30_000) return this.cached.token;
    const response = await fetch(this.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as TokenResponse;
    if (response.status !== 200 || !body.access_token) {
      throw new ApiError('POST', this.tokenEndpoint, response.status, body);
    }
    this.cached = { token: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 300) * 1000 };
    return body.access_token;
  }

  /** A new token, not the cached one: what the identity provider says of the client now. */
  async freshToken(): Promise<string> {
    this.cached = null;
    return this.token();
  }

  /** Whether the token endpoint accepts these credentials (a rotated secret no longer is). */
  async accepted(): Promise<boolean> {
    try {
      await this.freshToken();
      return true;
    } catch {
      return false;
    }
  }
}
