import { createHmac, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/**
 * Where a secret came from decides how it is hashed. One the issuer generated holds 256 random
 * bits: a salted HMAC-SHA256 already makes a stolen table useless (nothing to guess), and costs
 * microseconds instead of scrypt's tens of milliseconds on every enrollment, rotation and token
 * grant. One a caller chose may be weak, so it is stretched with scrypt.
 */
export type SecretOrigin = 'generated' | 'chosen';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const HMAC_PREFIX = 'hmac-sha256';
// scrypt with N = 2^14 (16 MiB). The parameters are kept in each hash, so they can be raised
// later without invalidating stored secrets.
const SCRYPT_PREFIX = 'scrypt';
const LOG2_N = 14;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;

function scryptKey(secret: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function hmacKey(secret: string, salt: Buffer): Buffer {
  return createHmac('sha256', salt).update(secret, 'utf8').digest();
}

/** Recomputes the key of `secret` the way `stored` was made; null when `stored` is no hash of ours. */
async function keyLike(secret: string, stored: string): Promise<{ key: Buffer; expected: Buffer } | null> {
  const parts = stored.split('$');
  if (parts[0] === HMAC_PREFIX && parts.length === 3) {
    return { key: hmacKey(secret, Buffer.from(parts[1]!, 'base64url')), expected: Buffer.from(parts[2]!, 'base64url') };
  }
  const [prefix, logN, r, p, salt, hash] = parts;
  if (prefix !== SCRYPT_PREFIX || !logN || !r || !p || !salt || !hash) return null;
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: 2 ** Number(logN), r: Number(r), p: Number(p) };
  return { key: await scryptKey(secret, Buffer.from(salt, 'base64url'), options, expected.length), expected };
}

/** Hashes client secrets with a per-client salt; compares in constant time. */
@Injectable()
export class ClientSecretHasher {
  // Verified against when the client id is unknown, so that an unknown id costs the same time as
  // a wrong secret of a generated one (every client the platform issues) and the token endpoint
  // does not reveal which client ids exist.
  private readonly decoy = this.hashNow(randomBytes(32).toString('base64url'));

  async hash(secret: string, origin: SecretOrigin): Promise<string> {
    if (origin === 'generated') return this.hashNow(secret);
    const salt = randomBytes(SALT_LENGTH);
    const key = await scryptKey(secret, salt, { N: 2 ** LOG2_N, r: BLOCK_SIZE, p: PARALLELISM }, KEY_LENGTH);
    return [SCRYPT_PREFIX, LOG2_N, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join(
      '$',
    );
  }

  /** True only if `secret` matches `stored`; with no stored hash, spends the same time and says no. */
  async verify(secret: string, stored: string | undefined): Promise<boolean> {
    const computed = await keyLike(secret, stored ?? this.decoy);
    if (!computed || computed.key.length !== computed.expected.length) return false;
    return timingSafeEqual(computed.key, computed.expected) && stored !== undefined;
  }

  private hashNow(secret: string): string {
    const salt = randomBytes(SALT_LENGTH);
    return [HMAC_PREFIX, salt.toString('base64url'), hmacKey(secret, salt).toString('base64url')].join('$');
  }
}
