import { randomUUID } from 'node:crypto';
import { OtaForgeFake } from '@flexgalaxy/testing';
import { describeOtaTargetsContract } from '../ota-targets.contract.js';
import { OtaForgeTargetsClient } from './ota-forge-targets.client.js';

const ADMIN_TOKEN = 'service-token-of-the-platform';
const tokens = { token: async () => ADMIN_TOKEN };
const clientFor = (url: string, source: { token(): Promise<string> } = tokens) =>
  new OtaForgeTargetsClient({ url, timeoutMs: 2000 }, source);

describeOtaTargetsContract('OTA Forge HTTP client against the OTA Forge fake', async () => {
  const fake = await new OtaForgeFake({ acceptBearer: (token) => token === ADMIN_TOKEN }).start();
  return {
    targets: clientFor(fake.url),
    ddiStatus: (controllerId, token) => fake.ddiStatus(controllerId, token),
    close: () => fake.close(),
  };
});

describe(OtaForgeTargetsClient.name, () => {
  let fake: OtaForgeFake;

  beforeEach(async () => {
    fake = await new OtaForgeFake({ acceptBearer: (token) => token === ADMIN_TOKEN }).start();
  });
  afterEach(() => fake.close());

  const body = {
    accountId: 'acct-1',
    name: 'n',
    securityToken: 'x'.repeat(43),
    attributes: {
      type: 'amr',
      model: 'X1',
      revision: 'r3',
      manufacturer: 'RoboMake',
      serial: 'SN',
      firmwareVersion: null,
      capabilities: [],
      timezone: 'UTC',
    },
  };

  it('should send the service token as a bearer token', async () => {
    await clientFor(fake.url).upsertTarget(`dev-${randomUUID()}`, body);
    expect(fake.requests.at(-1)).toMatch(/^PUT \/ota\/v1\/targets\//);
  });

  it.each([
    { what: 'a 503', arrange: () => fake.failNext('PUT', 503), source: tokens },
    { what: 'a refused service token', arrange: () => undefined, source: { token: async () => 'not-admin' } },
  ])('should report $what as OTA_TARGETS.UNAVAILABLE', async ({ arrange, source }) => {
    arrange();
    await expect(clientFor(fake.url, source).upsertTarget(`dev-${randomUUID()}`, body)).rejects.toMatchObject({
      code: 'OTA_TARGETS.UNAVAILABLE',
      kind: 'unavailable',
    });
  });

  it('should report an unreachable backend as OTA_TARGETS.UNAVAILABLE', async () => {
    const url = fake.url;
    await fake.close();
    await expect(clientFor(url).deleteTarget('dev-x')).rejects.toMatchObject({ code: 'OTA_TARGETS.UNAVAILABLE' });
  });
});
