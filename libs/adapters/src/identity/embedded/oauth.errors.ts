/** RFC 6749 §5.2 error codes the token endpoint answers with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

/**
 * A token-endpoint failure. Not a DomainError on purpose: OAuth2 clients (Keycloak libraries,
 * curl scripts, devices) expect RFC 6749's `{ error, error_description }` body, so the token
 * endpoint has its own filter instead of the platform's error body.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  /** RFC 6749 §5.2: a failed client authentication is a 401, every other error a 400. */
  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}
