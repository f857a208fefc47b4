import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runAppExpectingExit, startAppProcess, type AppProcess } from '@flexgalaxy/testing';

const SERVICE_APPS = ['provisioning', 'ota-forge', 'trust-mint', 'marketplace', 'org'] as const;

async function json(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, init);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe('the platform app, booted as `npm start` boots it (embedded defaults)', () => {
  let dataDir: string;
  let app: AppProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fg-platform-'));
    const port = await freePort();
    app = await startAppProcess('apps/platform/src/main.ts', {
      PORT: String(port),
      MQTT_PORT: String(await freePort()),
      DEVICE_TLS_PORT: String(await freePort()),
      PROVISIONING_KEY_FILE: join(dataDir, 'encryption.key'),
      PGLITE_DATA_DIR: join(dataDir, 'pglite'),
      BOOTSTRAP_CREDENTIALS_FILE: join(dataDir, 'bootstrap-admin.json'),
      DATABASE_URL: '',
      KAFKA_BROKERS: '',
      KEYCLOAK_URL: '',
    });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should print its URLs and where the bootstrap admin credentials are', () => {
    expect(app.stdout()).toContain(`${app.url}/health`);
    expect(app.stdout()).toContain('/oidc/.well-known/openid-configuration');
    expect(app.stdout()).toContain(join(dataDir, 'bootstrap-admin.json'));
  });

  it('should answer /health, Prometheus /metrics and the OpenAPI document', async () => {
    await expect(json(`${app.url}/health`)).resolves.toMatchObject({
      status: 200,
      body: { status: 'ok', database: 'pglite' },
    });
    const metrics = await fetch(`${app.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('http_request_duration_seconds_bucket');
    const docs = await json(`${app.url}/docs/json`);
    expect(Object.keys(docs.body['paths'] as object)).toEqual(
      expect.arrayContaining(['/org/v1/accounts', '/deviceadmin/v1/devices']),
    );
  });

  it('should let the bootstrap admin get a token from the embedded issuer and use it', async () => {
    const credentials = JSON.parse(readFileSync(join(dataDir, 'bootstrap-admin.json'), 'utf8')) as {
      clientId: string;
      clientSecret: string;
      tokenEndpoint: string;
    };
    const token = await json(credentials.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const created = await json(`${app.url}/org/v1/accounts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token.body['access_token']}`,
        'content-type': 'application/json',
        'x-request-id': 'boot-test-1',
      },
      body: JSON.stringify({ name: 'RoboMake', kind: 'maker' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('boot-test-1');

    const invalid = await json(`${app.url}/org/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.body['access_token']}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Nobody', kind: 'emperor' }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      code: 'REQUEST.INVALID',
      details: { issues: [expect.objectContaining({ path: 'body.kind' })] },
    });
  });

  it('should answer an unauthenticated call with 401 and an unknown route with 404, in the one error shape', async () => {
    const unauthenticated = await json(`${app.url}/org/v1/accounts`);
    expect(unauthenticated).toMatchObject({
      status: 401,
      body: { code: 'AUTH.UNAUTHENTICATED', requestId: expect.any(String) },
    });
    const missing = await json(`${app.url}/nowhere`);
    expect(missing).toMatchObject({ status: 404, body: { code: 'RESOURCE.NOT_FOUND', requestId: expect.any(String) } });
  });
});

describe.each(SERVICE_APPS)('the %s app on its own', (service) => {
  let dataDir: string;
  let app: AppProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), `fg-${service}-`));
    app = await startAppProcess(`apps/${service}/src/main.ts`, {
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      DEVICE_TLS_PORT: String(await freePort()),
      PROVISIONING_KEY_FILE: join(dataDir, 'encryption.key'),
      PGLITE_DATA_DIR: join(dataDir, 'pglite'),
      BOOTSTRAP_CREDENTIALS_FILE: join(dataDir, 'bootstrap-admin.json'),
      DATABASE_URL: '',
      KAFKA_BROKERS: '',
      KEYCLOAK_URL: '',
    });
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should boot and answer /health, /metrics and /docs', async () => {
    await expect(json(`${app.url}/health`)).resolves.toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
    expect((await json(`${app.url}/docs/json`)).body['openapi']).toBe('3.0.0');
  });
});

describe('configuration is validated at start', () => {
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@127.0.0.1/x' }],
    ['KAFKA_BROKERS', { KAFKA_BROKERS: 'not a broker list' }],
    ['OIDC_ISSUER_URL', { OIDC_ISSUER_URL: 'not-a-url' }],
  ])('should exit non-zero naming %s when it is invalid', async (variable, env) => {
    const { code, output } = await runAppExpectingExit('apps/provisioning/src/main.ts', env);
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration');
    expect(output).toContain(`${variable}:`);
  });
});
