import { createHash, randomBytes } from 'node:crypto';

/**
 * A new MQTT access token: 32 random bytes, base64url (43 characters, no padding), so it is safe
 * in an MQTT user name and in ThingsBoard's `accessToken` query parameter alike.
 */
export function generateAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * sha256 in hex. A plain fast hash is enough here (unlike passwords): the token carries 256 bits
 * of entropy, so it cannot be guessed from its hash, and the CONNECT lookup stays one indexed
 * equality query.
 */
export function hashAccessToken(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'utf8').digest('hex');
}
