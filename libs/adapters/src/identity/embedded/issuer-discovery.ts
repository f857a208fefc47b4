import { ACCOUNT_ID_CLAIM, PERMISSIONS_CLAIM } from '@flexgalaxy/auth';
import { embeddedIssuerEndpoints, type IdentityConfig } from '../identity.config.js';
import { SIGNING_ALGORITHM } from './signing-key.store.js';

/** OpenID Connect Discovery 1.0 metadata, limited to what a client_credentials-only issuer offers. */
export function discoveryDocument(config: Pick<IdentityConfig, 'OIDC_ISSUER_URL'>) {
  const endpoints = embeddedIssuerEndpoints(config.OIDC_ISSUER_URL);
  return {
    issuer: config.OIDC_ISSUER_URL,
    token_endpoint: endpoints.token,
    jwks_uri: endpoints.jwks,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
    subject_types_supported: ['public'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti', 'client_id', ACCOUNT_ID_CLAIM, PERMISSIONS_CLAIM],
  };
}
