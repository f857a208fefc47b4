import { Injectable } from '@nestjs/common';
import axios from 'axios';
import { z } from 'zod';
import { UnauthenticatedError } from './auth.errors.js';

export interface ServiceCredentials {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
}

const tokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

/** Renew this long before expiry, so a call never leaves with a token about to lapse. */
const RENEW_BEFORE_MS = 60_000;

export class ServiceCredentialsMissingError extends Error {
  constructor() {
    super(
      'no service credentials: set SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET, or run the embedded issuer in this process',
    );
  }
}

/**
 * The bearer token this process presents when one service calls another's HTTP API (e.g.
 * provisioning registering a device's OTA target with OTA Forge): a client_credentials token,
 * cached until shortly before it expires. Credentials come from SERVICE_CLIENT_ID/SECRET, or are
 * handed over at boot by the embedded issuer running in the same process.
 */
/** Issues a token without a network round trip: the embedded issuer running in this process. */
export type InProcessIssuer = () => Promise<{ access_token: string; expires_in: number }>;

@Injectable()
export class ServiceTokenSource {
  private credentials: ServiceCredentials | null = null;
  private issuer: InProcessIssuer | null = null;
  private cached: { token: string; renewAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  useCredentials(credentials: ServiceCredentials): void {
    this.credentials = credentials;
    this.cached = null;
  }

  useInProcessIssuer(issuer: InProcessIssuer): void {
    this.issuer = issuer;
    this.cached = null;
  }

  hasCredentials(): boolean {
    return this.credentials !== null || this.issuer !== null;
  }

  async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchToken(): Promise<string> {
    const credentials = this.credentials;
    if (!credentials && this.issuer) return this.remember(await this.issuer());
    if (!credentials) throw new ServiceCredentialsMissingError();
    const response = await axios.post(
      credentials.tokenEndpoint,
      new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      {
        auth: { username: credentials.clientId, password: credentials.clientSecret },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        timeout: 5000,
        validateStatus: () => true,
      },
    );
    const parsed = tokenResponseSchema.safeParse(response.data);
    if (response.status !== 200 || !parsed.success) {
      throw new UnauthenticatedError(`service token request refused (HTTP ${response.status})`);
    }
    return this.remember(parsed.data);
  }

  private remember(response: { access_token: string; expires_in: number }): string {
    this.cached = {
      token: response.access_token,
      renewAt: Date.now() + Math.max(0, response.expires_in * 1000 - RENEW_BEFORE_MS),
    };
    return response.access_token;
  }
}
