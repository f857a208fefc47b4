import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { publicJwk, signEs256, verifyEs256 } from './jws.js';

describe('signEs256', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it('should make a JWS its JWK verifies, and that another key or a changed payload does not', () => {
    const token = signEs256({ sub: 'amr-x1-001', license_type: 'TRIAL' }, privateKey, 'k1');
    const jwk = publicJwk(publicKey, 'k1');
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'k1', alg: 'ES256', use: 'sig' });
    expect(verifyEs256(token, createPublicKey({ key: jwk, format: 'jwk' }))).toEqual({
      sub: 'amr-x1-001',
      license_type: 'TRIAL',
    });
    expect(verifyEs256(token, generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toBeNull();
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'amr-x1-001', license_type: 'OFFICIAL' })).toString('base64url');
    expect(verifyEs256(`${header}.${forged}.${signature}`, publicKey)).toBeNull();
  });
});
