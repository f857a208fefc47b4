/**
 * Claim and pre-shared token rules (seed 002 "Claim Tokens"): a token maps to account + device type
 * + priority + expiry and is consumed by one enrollment. Pure functions: no clock, no database.
 */

export const CLAIM_TOKEN_KINDS = ['claim', 'pre_shared'] as const;
export type ClaimTokenKind = (typeof CLAIM_TOKEN_KINDS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Recognisable prefixes, so a leaked token is easy to spot in logs and by secret scanners. */
export const TOKEN_PREFIX: Record<ClaimTokenKind, string> = { claim: 'fgct_', pre_shared: 'fgpk_' };

export interface TokenFacts {
  kind: ClaimTokenKind;
  deviceType: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export type TokenCheck =
  { ok: true } | { ok: false; problem: 'kind_mismatch' | 'already_used' | 'expired' | 'device_type_mismatch' };

/**
 * Whether a token may enroll a device of `deviceType`, presented as `presentedAs`. A used token is
 * reported as used even once it has expired too: the answer a retrying device most needs.
 */
export function checkToken(token: TokenFacts, presentedAs: ClaimTokenKind, deviceType: string, now: Date): TokenCheck {
  if (token.kind !== presentedAs) return { ok: false, problem: 'kind_mismatch' };
  if (token.usedAt !== null) return { ok: false, problem: 'already_used' };
  if (token.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired' };
  if (token.deviceType !== deviceType) return { ok: false, problem: 'device_type_mismatch' };
  return { ok: true };
}

/** The expiry of a new batch: the requested lifetime, else the default, never beyond the maximum. */
export function expiryOf(
  now: Date,
  requested: { expiresInSeconds?: number | undefined; expiresAt?: Date | undefined },
  limits: { defaultSeconds: number; maxSeconds: number },
): { ok: true; expiresAt: Date } | { ok: false; problem: 'in_the_past' | 'too_far' } {
  const expiresAt =
    requested.expiresAt ?? new Date(now.getTime() + (requested.expiresInSeconds ?? limits.defaultSeconds) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'in_the_past' };
  if (expiresAt.getTime() - now.getTime() > limits.maxSeconds * 1000) return { ok: false, problem: 'too_far' };
  return { ok: true, expiresAt };
}

/** What an enrollment with this kind of token is issued (seed 002 "Scenario Summary"). */
export function issuesM2mClient(kind: ClaimTokenKind): boolean {
  // Constrained sensors (pre-shared token): MQTT + DDI only; PDAs / tablets (claim token): + M2M.
  return kind === 'claim';
}
