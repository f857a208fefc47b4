import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { TRUST_MINT_CONFIG } from '../core/trust-mint.tokens.js';
import type { TrustMintConfig } from '../trust-mint.config.js';
import { isPrivateAddress } from './domain/destination.js';
import { signWebhook } from './domain/signature.js';
import type { AttemptOutcome, ClaimedDelivery } from './domain/webhook.js';

export interface SendResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  retryAfter: string | null;
}

const USER_AGENT = 'FlexGalaxy-TrustMint-Webhooks/1';
/** Enough of a receiver's answer for the log; the rest is discarded unread. */
const MAX_ERROR_BODY = 200;

/** One signed HTTP attempt (Standard Webhooks headers), bounded by the per-attempt timeout. */
@Injectable()
export class WebhookSender {
  constructor(@Inject(TRUST_MINT_CONFIG) private readonly config: TrustMintConfig) {}

  async send(delivery: ClaimedDelivery): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const refused = await this.refusedDestination(delivery.url);
    if (refused)
      return { outcome: 'refused', statusCode: null, latencyMs: elapsed(), error: refused, retryAfter: null };
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': delivery.id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(delivery.secret, delivery.id, timestamp, body),
        },
        body,
        // Standard Webhooks: a redirect is a failure, never followed (it could lead anywhere).
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.TRUST_MINT_WEBHOOK_TIMEOUT_MS),
      });
      const text = await response.text().catch(() => '');
      const ok = response.status >= 200 && response.status < 300;
      return {
        outcome: ok ? 'succeeded' : 'failed',
        statusCode: response.status,
        latencyMs: elapsed(),
        error: ok ? null : `HTTP ${response.status}${text ? `: ${text.slice(0, MAX_ERROR_BODY)}` : ''}`,
        retryAfter: response.headers.get('retry-after'),
      };
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return {
        outcome: timedOut ? 'timeout' : 'error',
        statusCode: null,
        latencyMs: elapsed(),
        error: timedOut
          ? `no answer within ${this.config.TRUST_MINT_WEBHOOK_TIMEOUT_MS} ms`
          : (cause?.code ?? cause?.message ?? (error as Error).message),
        retryAfter: null,
      };
    }
  }

  /** Why the URL may not be called (a private address while those are not allowed), or null. */
  private async refusedDestination(url: string): Promise<string | null> {
    if (this.config.TRUST_MINT_WEBHOOK_ALLOW_PRIVATE_DESTINATIONS) return null;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    try {
      const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
      return addresses.some(isPrivateAddress) ? `destination ${host} resolves to a private address` : null;
    } catch (error) {
      return `cannot resolve ${host}: ${(error as { code?: string }).code ?? 'lookup failed'}`;
    }
  }
}
