/** A client_credentials token from `tokenEndpoint` over real HTTP, as any OAuth2 client asks for one. */
export async function clientCredentialsToken(
  tokenEndpoint: string,
  clientId: string,
  clientSecret: string,
): Promise<string> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof body['access_token'] !== 'string') {
    throw new Error(`token request for ${clientId} failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return body['access_token'];
}
