import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { z } from 'zod';
import { tbErrorSchema, tbLoginResponseSchema } from './thingsboard.types.js';

export interface ThingsboardClientConfig {
  /** e.g. `http://thingsboard:8080`. */
  url: string;
  /** A tenant administrator: device, customer and credential endpoints need TENANT_ADMIN. */
  username: string;
  password: string;
  timeoutMs: number;
}

/** ThingsBoard answered 4xx (other than 401): the adapter decides what it means for the port. */
export class ThingsboardRequestError extends Error {
  constructor(
    readonly status: number,
    /** ThingsBoard's own message ("Device with such name already exists!" …), or the plain-text body. */
    readonly reason: string,
    readonly errorCode: number | undefined,
  ) {
    super(`ThingsBoard answered ${status}: ${reason}`);
  }
}

/** ThingsBoard could not be reached, failed (5xx, 429), refused our login, or answered nonsense. */
export class ThingsboardUnavailableError extends Error {}

interface RequestOptions<T> {
  params?: Record<string, string>;
  data?: unknown;
  schema?: z.ZodType<T>;
}

function reasonOf(response: AxiosResponse): { reason: string; errorCode: number | undefined } {
  const parsed = tbErrorSchema.safeParse(response.data);
  if (parsed.success) return { reason: parsed.data.message, errorCode: parsed.data.errorCode };
  return { reason: typeof response.data === 'string' ? response.data : '', errorCode: undefined };
}

/**
 * ThingsBoard's REST API over axios: logs in as the tenant administrator (`POST /api/auth/login`),
 * sends the JWT as `X-Authorization: Bearer …`, and logs in again once when a call answers 401
 * (the JWT expired). Answers are parsed with the given zod schema.
 */
export class ThingsboardClient {
  private readonly http: AxiosInstance;
  private token: { value: Promise<string>; resolved?: string } | undefined;

  constructor(private readonly config: ThingsboardClientConfig) {
    this.http = axios.create({
      baseURL: config.url.replace(/\/$/, ''),
      timeout: config.timeoutMs,
      // Every status is answered by us, not thrown by axios: 4xx carry meaning (404, duplicate name).
      validateStatus: () => true,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
    });
  }

  async request<T = undefined>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T> {
    const token = await this.accessToken();
    let response = await this.exchange(method, path, options, token);
    if (response.status === 401) {
      this.forget(token);
      response = await this.exchange(method, path, options, await this.accessToken());
      if (response.status === 401)
        throw new ThingsboardUnavailableError(`ThingsBoard refused our JWT: ${reasonOf(response).reason}`);
    }
    return this.answer(response, options.schema);
  }

  /**
   * A call to the device HTTP API (`/api/v1/{accessToken}/…`), where the device's token is the
   * credential. @returns null when ThingsBoard does not know the token (401).
   */
  async deviceRequest<T>(method: Method, path: string, options: RequestOptions<T> = {}): Promise<T | null> {
    const response = await this.exchange(method, path, options, undefined);
    if (response.status === 401) return null;
    return this.answer(response, options.schema);
  }

  /** One login shared by concurrent calls; `resolved` lets a 401 tell which JWT expired. */
  private accessToken(): Promise<string> {
    if (!this.token) {
      const entry: { value: Promise<string>; resolved?: string } = { value: this.login() };
      this.token = entry;
      entry.value.then(
        (token) => (entry.resolved = token),
        // A failed login must not stick: the next call tries again.
        () => {
          if (this.token === entry) this.token = undefined;
        },
      );
    }
    return this.token.value;
  }

  /** Drops the JWT that got a 401, unless another call already replaced it. */
  private forget(expired: string): void {
    if (this.token?.resolved === expired) this.token = undefined;
  }

  private async login(): Promise<string> {
    const response = await this.exchange('POST', '/api/auth/login', {
      data: { username: this.config.username, password: this.config.password },
    });
    if (response.status === 401) {
      throw new ThingsboardUnavailableError(
        `ThingsBoard refused the login of ${this.config.username}: ${reasonOf(response).reason}`,
      );
    }
    const { token } = this.answer(response, tbLoginResponseSchema);
    return token;
  }

  private async exchange<T>(
    method: Method,
    path: string,
    options: RequestOptions<T>,
    token?: string,
  ): Promise<AxiosResponse> {
    try {
      return await this.http.request({
        method,
        url: path,
        params: options.params,
        data: options.data,
        headers: token ? { 'X-Authorization': `Bearer ${token}` } : {},
      });
    } catch (error) {
      throw new ThingsboardUnavailableError(`cannot reach ThingsBoard: ${(error as Error).message}`, { cause: error });
    }
  }

  private answer<T>(response: AxiosResponse, schema: z.ZodType<T> | undefined): T {
    if (response.status >= 500 || response.status === 429 || response.status === 401) {
      throw new ThingsboardUnavailableError(`ThingsBoard answered ${response.status}: ${reasonOf(response).reason}`);
    }
    if (response.status >= 400) {
      const { reason, errorCode } = reasonOf(response);
      throw new ThingsboardRequestError(response.status, reason, errorCode);
    }
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(response.data);
    if (!parsed.success) {
      throw new ThingsboardUnavailableError(`unexpected ThingsBoard answer: ${parsed.error.message}`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}
