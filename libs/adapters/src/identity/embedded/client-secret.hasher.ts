import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Injectable } from '@nestjs/common';

// scrypt with N = 2^14 (16 MiB, tens of ms): the secrets are 256 random bits, so the hash only
// has to make a stolen table useless, not to stretch a weak password. The parameters are kept in
// each hash, so they can be raised later without invalidating stored secrets.
const LOG2_N = 14;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const PREFIX = 'scrypt';

function derive(secret: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

interface ParsedHash {
  options: ScryptOptions;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): ParsedHash | null {
  const [prefix, logN, r, p, salt, hash] = stored.split('$');
  if (prefix !== PREFIX || !logN || !r || !p || !salt || !hash) return null;
  return {
    options: { N: 2 ** Number(logN), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt, 'base64url'),
    hash: Buffer.from(hash, 'base64url'),
  };
}

/** Hashes client secrets with scrypt and a per-client salt; compares in constant time. */
@Injectable()
export class ClientSecretHasher {
  // Verified against when the client id is unknown, so that an unknown id costs the same time as
  // a wrong secret and the token endpoint does not reveal which client ids exist.
  private decoy: Promise<string> | null = null;

  async hash(secret: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(secret, salt, { N: 2 ** LOG2_N, r: BLOCK_SIZE, p: PARALLELISM }, KEY_LENGTH);
    return [PREFIX, LOG2_N, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  /** True only if `secret` matches `stored`; with no stored hash, spends the same time and says no. */
  async verify(secret: string, stored: string | undefined): Promise<boolean> {
    this.decoy ??= this.hash(randomBytes(32).toString('base64url'));
    const parsed = parse(stored ?? (await this.decoy));
    if (!parsed) return false;
    const key = await derive(secret, parsed.salt, parsed.options, parsed.hash.length);
    return timingSafeEqual(key, parsed.hash) && stored !== undefined;
  }
}
