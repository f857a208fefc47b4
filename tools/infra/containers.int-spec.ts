// @ts-expect-error -- plain ESM launcher module without type declarations
import { dockerEngineAbsence, startContainers } from './containers.mjs';

// The Testcontainers path of the real servers: it needs a Docker engine, which the project's own
// machines lack (they run the same servers from Maven packages: infra.mjs).
const absence = (await dockerEngineAbsence()) as string | null;
if (absence) console.warn(`SKIPPED: the Testcontainers stack needs a Docker engine: ${absence}`);
const describeWithDocker = absence ? describe.skip : describe;

describeWithDocker('the real servers as Testcontainers', () => {
  let stack: { env: Record<string, string>; stop(): Promise<void> };

  beforeAll(async () => {
    stack = await startContainers();
  }, 600_000);
  afterAll(() => stack?.stop(), 120_000);

  it('serves Keycloak’s realm and hawkBit’s Management API on the .infra/env URLs', async () => {
    const discovery = await fetch(`${stack.env['OIDC_ISSUER_URL_KEYCLOAK']}/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);
    const basic = Buffer.from('admin:admin').toString('base64');
    const targets = await fetch(`${stack.env['HAWKBIT_URL']}/rest/v1/targets?limit=1`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(targets.status).toBe(200);
  });

  it('runs a Kafka broker kafkajs can reach', async () => {
    const { Kafka } = await import('kafkajs');
    const admin = new Kafka({ brokers: [stack.env['KAFKA_BROKERS']!] }).admin();
    await admin.connect();
    expect((await admin.describeCluster()).brokers).toHaveLength(1);
    await admin.disconnect();
  });
});
