import { z } from 'zod';

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "5s" → 5000. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const csv = (item: z.ZodString) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const retrySchedule = z.string().transform((value, context) => {
  const delays = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(parseDuration);
  if (delays.some((delay) => delay === null)) {
    context.addIssue({ code: 'custom', message: 'must be durations like 5s,5m,30m,2h (units ms, s, m, h, d)' });
    return z.NEVER;
  }
  return delays as number[];
});

const bool = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((value) => value === 'true');

const softwareIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits, . _ : -');

/**
 * TrustMint's settings (seed 001 and seed 000 §4). Parsed once at boot; the service receives the
 * frozen result through TrustMintModule.forRoot(config).
 */
export const trustMintConfigSchema = z.object({
  /** Lifetime of the TRIAL license issued on enrollment. */
  TRUST_MINT_TRIAL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** The software a TRIAL on enrollment entitles: the platform's device software, not a listing. */
  TRUST_MINT_TRIAL_SOFTWARE_ID: softwareIdSchema.default('flexgalaxy.device'),
  /** Triage category of that software, matched against TRUST_MINT_AUTO_APPROVE_CATEGORIES. */
  TRUST_MINT_TRIAL_SOFTWARE_CATEGORY: z.string().min(1).default('platform'),
  /** OFFICIAL licenses' lifetime; unset: they do not expire (seed 000 §4: perpetual per-device). */
  TRUST_MINT_OFFICIAL_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  /**
   * Triage categories whose OFFICIAL requests are approved without a reviewer when no partner
   * subscribed to license_upgrade.requested (seed 001). Matched against the listing's category
   * and software type; device-bound software is "permanent, free" (seed 000 §3).
   */
  TRUST_MINT_AUTO_APPROVE_CATEGORIES: csv(z.string().min(1)).default(['device_bound']),
  /** `iss` of license JWTs. */
  TRUST_MINT_LICENSE_ISSUER: z.string().min(1).default('flexgalaxy-trust-mint'),
  /** Delays between a failed attempt and the next (Standard Webhooks' example schedule by default). */
  TRUST_MINT_WEBHOOK_RETRY_SCHEDULE: retrySchedule.default([
    5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
  ]),
  /** Each delay is spread by ± this fraction, so retries of many deliveries do not arrive together. */
  TRUST_MINT_WEBHOOK_RETRY_JITTER: z.coerce.number().min(0).max(1).default(0.2),
  TRUST_MINT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(10).max(120_000).default(15_000),
  TRUST_MINT_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** At most this many attempts in flight per subscriber, so one slow partner cannot take every slot. */
  TRUST_MINT_WEBHOOK_PER_SUBSCRIBER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  TRUST_MINT_WEBHOOK_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /**
   * Whether subscribers may point at loopback, private or link-local addresses. Off by default:
   * a tenant could otherwise make the platform call its own internal network (SSRF).
   */
  TRUST_MINT_WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: bool('false'),
  /** Whether this process sends deliveries (several processes may; they claim rows with SKIP LOCKED). */
  TRUST_MINT_WEBHOOK_WORKER: bool('true'),
});

export type TrustMintConfig = z.output<typeof trustMintConfigSchema>;
