export interface ClientCredentialsPair {
  clientId: string;
  clientSecret: string;
}

export interface TokenAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** RFC 6749 §2.3.1: each half of the Basic credentials is form-urlencoded. */
function basic({ clientId, clientSecret }: ClientCredentialsPair): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** A client_credentials token request over real HTTP, as any OAuth2 client sends it. */
export async function requestToken(
  tokenEndpoint: string,
  credentials: ClientCredentialsPair,
  method: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic',
  extra: Record<string, string> = {},
): Promise<TokenAnswer> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...extra });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (method === 'client_secret_basic') {
    headers['authorization'] = basic(credentials);
  } else {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  }
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers,
    body: form,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

/** The access token, or a failure that shows the token endpoint's answer. */
export async function obtainAccessToken(tokenEndpoint: string, credentials: ClientCredentialsPair): Promise<string> {
  const answer = await requestToken(tokenEndpoint, credentials);
  if (answer.status !== 200 || typeof answer.body['access_token'] !== 'string') {
    throw new Error(
      `token request for ${credentials.clientId} failed: ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  }
  return answer.body['access_token'];
}

/** The claims of a JWT, unverified (tests only: they assert on what the issuer put there). */
export function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
