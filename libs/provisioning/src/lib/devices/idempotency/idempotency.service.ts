import { Inject, Injectable } from '@nestjs/common';
import { PROVISIONING_CONFIG, type ProvisioningConfig } from '../../provisioning.config.js';
import { EncryptionKeySource } from '../../shared/encryption-key.js';
import { canonicalJson, decryptJson, encryptJson, sha256Hex } from '../../shared/secrets.js';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
  InvalidIdempotencyKeyError,
} from '../devices.errors.js';
import { IdempotencyRepository } from './idempotency.repository.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on enroll and transfer (ARCHITECTURE.md quality bar): the first result is
 * stored per (account, key) with the request's fingerprint and replayed on a retry; the same key
 * with a different request is refused. The stored result holds credentials, so it is encrypted
 * (AES-256-GCM) and dropped after IDEMPOTENCY_TTL_SECONDS. A failed request leaves no record: its
 * retry runs again.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @Inject(IdempotencyRepository) private readonly records: IdempotencyRepository,
    @Inject(EncryptionKeySource) private readonly encryption: EncryptionKeySource,
    @Inject(PROVISIONING_CONFIG) private readonly config: ProvisioningConfig,
  ) {}

  /** Throws a 400 for a malformed key before anything else happens. */
  validateKey(key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    if (!KEY_PATTERN.test(key)) throw new InvalidIdempotencyKeyError();
    return key;
  }

  async run<T>(
    scope: string,
    key: string | undefined,
    operation: string,
    request: unknown,
    work: () => Promise<T>,
  ): Promise<T> {
    if (key === undefined) return work();
    const fingerprint = sha256Hex(canonicalJson({ operation, request }));
    const replay = await this.replayOf(scope, key, fingerprint);
    if (replay.found) return replay.value as T;
    const now = new Date();
    const began = await this.records.begin(
      scope,
      key,
      operation,
      fingerprint,
      new Date(now.getTime() + this.config.IDEMPOTENCY_TTL_SECONDS * 1000),
    );
    if (!began) {
      const raced = await this.replayOf(scope, key, fingerprint);
      if (raced.found) return raced.value as T;
      throw new IdempotencyInProgressError();
    }
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await this.records.remove(scope, key);
      throw error;
    }
    await this.records.complete(scope, key, 200, encryptJson(this.key(), result));
    await this.records.purgeExpired(now).catch(() => undefined);
    return result;
  }

  private async replayOf(
    scope: string,
    key: string,
    fingerprint: string,
  ): Promise<{ found: boolean; value?: unknown }> {
    const record = await this.records.find(scope, key);
    if (!record) return { found: false };
    if (record.expiresAt.getTime() < Date.now()) {
      await this.records.remove(scope, key);
      return { found: false };
    }
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    if (record.state !== 'completed' || !record.responseCipher) throw new IdempotencyInProgressError();
    return { found: true, value: decryptJson(this.key(), record.responseCipher) };
  }

  private key(): Buffer {
    return this.encryption.keyFor('idempotency');
  }
}
