import { sign, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A compact JWS (RFC 7515) signed ES256 with node:crypto: the signature is r||s (IEEE P1363). */
export function signEs256(claims: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const signingInput = `${encode({ alg: 'ES256', typ: 'JWT', kid })}.${encode(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The claims of an ES256 JWS if `publicKey` signed it; null otherwise. */
export function verifyEs256(token: string, publicKey: KeyObject): Record<string, unknown> | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return null;
  try {
    const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (parsedHeader.alg !== 'ES256') return null;
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    return valid ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The public JWK (RFC 7517) that verifies tokens signed with `kid`. */
export function publicJwk(publicKey: KeyObject, kid: string): JsonWebKey & { kid: string; alg: string; use: string } {
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  return { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' };
}
