import { createHash, createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { SigningKeysRepository, type NewSigningKey, type StoredSigningKey } from './signing-keys.repository.js';

export const SIGNING_ALGORITHM = 'ES256';

/** A public key as published in the JWKS (RFC 7517). */
export interface PublishedJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  use: 'sig';
  alg: string;
}

export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** RFC 7638 thumbprint: the kid is derived from the key, so it can never name two keys. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

function generateKey(): NewSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = publicKey.export({ format: 'jwk' });
  return {
    kid: thumbprint(publicJwk),
    algorithm: SIGNING_ALGORITHM,
    privateJwk: privateKey.export({ format: 'jwk' }),
    publicJwk,
  };
}

function toActive(key: Pick<NewSigningKey, 'kid' | 'privateJwk'>): ActiveSigningKey {
  return { kid: key.kid, privateKey: createPrivateKey({ key: key.privateJwk, format: 'jwk' }) };
}

/**
 * The issuer's ES256 keys. The first start generates one and persists it, so tokens survive a
 * restart and every process on the same database signs with the same key.
 */
@Injectable()
export class SigningKeyStore implements OnModuleInit {
  private readonly logger = new Logger(SigningKeyStore.name);
  private active: ActiveSigningKey | null = null;

  constructor(@Inject(SigningKeysRepository) private readonly keys: SigningKeysRepository) {}

  async onModuleInit(): Promise<void> {
    this.active = toActive(await this.loadOrCreate());
  }

  /** The key new tokens are signed with. */
  signingKey(): ActiveSigningKey {
    if (!this.active) throw new Error('SigningKeyStore used before module init');
    return this.active;
  }

  /** The JWKS document: every published public key. Read per request, so another process's rotation shows. */
  async jwks(): Promise<{ keys: PublishedJwk[] }> {
    const keys = await this.keys.listPublished();
    return {
      keys: keys.map(({ kid, algorithm, publicJwk }) => ({
        kty: String(publicJwk.kty),
        crv: publicJwk.crv,
        x: publicJwk.x,
        y: publicJwk.y,
        kid,
        use: 'sig',
        alg: algorithm,
      })),
    };
  }

  /**
   * Signs from now on with a new key; the old one stays in the JWKS until retired, so tokens it
   * signed keep validating. Other processes on the same database go on signing with the old key
   * (still published) until they restart. @returns the new kid.
   */
  async rotate(): Promise<string> {
    const key = generateKey();
    await this.keys.activate(key);
    this.active = toActive(key);
    this.logger.log({ kid: key.kid }, 'signing key rotated');
    return key.kid;
  }

  /**
   * Stops publishing a rotated-out key: tokens it signed stop validating once resource servers
   * refetch the JWKS. The active key cannot be retired. @returns false if no such inactive key.
   */
  async retire(kid: string): Promise<boolean> {
    const retired = await this.keys.retire(kid);
    if (retired) this.logger.log({ kid }, 'signing key retired');
    return retired;
  }

  private async loadOrCreate(): Promise<StoredSigningKey> {
    const existing = await this.keys.findActive();
    if (existing) return existing;
    const key = generateKey();
    if (await this.keys.insertFirstActive(key)) {
      this.logger.log({ kid: key.kid }, 'generated the issuer signing key');
    }
    // Whoever won the race, the stored key is the one to use.
    const stored = await this.keys.findActive();
    if (!stored) throw new Error('no active signing key after creating one');
    return stored;
  }
}
