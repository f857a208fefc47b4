import { sign } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SIGNING_ALGORITHM, SigningKeyStore } from './signing-key.store.js';

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

/**
 * Signs JWTs (JWS compact serialisation) with the active ES256 key. ECDSA signatures in a JWS are
 * the raw r||s pair (RFC 7518 §3.4), hence `ieee-p1363` rather than Node's default DER.
 */
@Injectable()
export class AccessTokenSigner {
  constructor(@Inject(SigningKeyStore) private readonly keys: SigningKeyStore) {}

  sign(claims: Record<string, unknown>): string {
    const { kid, privateKey } = this.keys.signingKey();
    // RFC 9068 names OAuth2 access tokens `at+jwt`, so they cannot be replayed as ID tokens.
    const signingInput = `${encode({ alg: SIGNING_ALGORITHM, typ: 'at+jwt', kid })}.${encode(claims)}`;
    const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }
}
