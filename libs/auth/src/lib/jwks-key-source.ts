import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import axios from 'axios';
import { z } from 'zod';

const jwksSchema = z.object({
  keys: z.array(z.looseObject({ kid: z.string().optional(), kty: z.string(), use: z.string().optional() })),
});
const discoverySchema = z.looseObject({ issuer: z.string(), jwks_uri: z.url() });

/** Refetches at most this often when a token names a kid we do not know (key rotation). */
const MIN_REFRESH_INTERVAL_MS = 10_000;

/**
 * Public keys of the issuer, fetched from its JWKS and cached by kid. An unknown kid triggers a
 * refetch (rate limited), so the issuer can rotate keys without restarting us.
 */
export class JwksKeySource {
  private keys = new Map<string, KeyObject>();
  private lastFetch = 0;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly issuerUrl: string,
    private readonly jwksUrl?: string,
  ) {}

  async getKey(kid: string | undefined): Promise<KeyObject | undefined> {
    const cached = this.lookup(kid);
    if (cached) return cached;
    if (Date.now() - this.lastFetch >= MIN_REFRESH_INTERVAL_MS || this.keys.size === 0) await this.refresh();
    return this.lookup(kid);
  }

  private lookup(kid: string | undefined): KeyObject | undefined {
    if (kid) return this.keys.get(kid);
    // A token without kid is accepted only when the issuer publishes exactly one key.
    return this.keys.size === 1 ? [...this.keys.values()][0] : undefined;
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    this.lastFetch = Date.now();
    const jwksUrl = this.jwksUrl ?? (await this.discoverJwksUrl());
    const { data } = await axios.get(jwksUrl, { timeout: 5000 });
    const next = new Map<string, KeyObject>();
    for (const jwk of jwksSchema.parse(data).keys) {
      if (jwk.use && jwk.use !== 'sig') continue;
      next.set(jwk.kid ?? '', createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
    }
    this.keys = next;
  }

  private async discoverJwksUrl(): Promise<string> {
    const url = `${this.issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const { data } = await axios.get(url, { timeout: 5000 });
    return discoverySchema.parse(data).jwks_uri;
  }
}
