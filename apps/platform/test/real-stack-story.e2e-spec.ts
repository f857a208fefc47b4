import { mkdirSync, writeFileSync } from 'node:fs';
import { POSTGRES_AVAILABLE, realServer, startDistributedPlatform, waitFor } from '@flexgalaxy/testing';
import { Api, ClientCredentials } from '../../../tools/demo/story/index.js';
import { describeSupplyChainStory, type StoryContext } from './supply-chain-story.suite.js';

/** The claims of a JWT (already verified by whoever issued it to us). */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

function realStackChecks({ story, stack }: StoryContext, hawkbit: Record<string, string>): void {
  it('8. carries RoboMake’s TrustMint role declaration over Kafka into Keycloak: its service user’s next token has the roles', async () => {
    const { admin, routes } = stack().options;
    const platformAdmin = new ClientCredentials(admin.clientId, admin.clientSecret, admin.tokenEndpoint);
    const roboMake = story().actor('roboMake');
    await new Api(routes!['/entitlements/']!).expect(200, 'PUT', '/entitlements/v1/subscription', {
      token: await platformAdmin.token(),
      body: { roles: ['DEVICE_MANUFACTURER'], accountId: roboMake.id },
    });
    const roles = await waitFor(
      async () => {
        const claim = claimsOf(await roboMake.credentials.freshToken())['roles'];
        return Array.isArray(claim) && claim.length > 0 ? claim : null;
      },
      60_000,
      500,
    );
    expect(roles).toEqual(['trust-mint:DEVICE_MANUFACTURER']);
  }, 90_000);

  it('9. leaves in hawkBit exactly what the robots saw: each a target, each deployment it installed a closed, finished action', async () => {
    const auth = `Basic ${Buffer.from(`${hawkbit.HAWKBIT_USER}:${hawkbit.HAWKBIT_PASSWORD}`).toString('base64')}`;
    const hawkbitActions = async (controllerId: string) => {
      const response = await fetch(`${hawkbit.HAWKBIT_URL}/rest/v1/targets/${controllerId}/actions?limit=100`, {
        headers: { authorization: auth, accept: 'application/json' },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { content: { id: number; status: string }[] }).content;
    };
    for (const robot of story().robots) {
      const seen = [...new Set(robot.installs.map((install) => Number(install.actionId)))].sort((a, b) => a - b);
      const actions = await hawkbitActions(robot.deviceId);
      expect([robot.label, actions.map((action) => action.id).sort((a, b) => a - b)]).toEqual([robot.label, seen]);
      for (const action of actions) expect([robot.label, action.status]).toEqual([robot.label, 'finished']);
    }
  }, 120_000);
}

// The same story on the production shape: five processes on PostgreSQL talking over the real
// Kafka broker, identity on the real Keycloak, OTA Forge driving the real hawkBit (its DDI proxied).
const kafka = realServer(['KAFKA_BROKERS'], 'Kafka broker');
const keycloak = realServer(['KEYCLOAK_URL', 'OIDC_ISSUER_URL_KEYCLOAK'], 'Keycloak');
const hawkbit = realServer(['HAWKBIT_URL', 'HAWKBIT_USER', 'HAWKBIT_PASSWORD'], 'hawkBit update server');

if (kafka && keycloak && hawkbit && POSTGRES_AVAILABLE) {
  describeSupplyChainStory(
    'the supply-chain story (seed 000) distributed over the real Kafka, Keycloak and hawkBit',
    async () => {
      const platform = await startDistributedPlatform({
        DDI_POLLING_SLEEP: '00:00:01',
        DDI_DEFERRED_POLLING_SLEEP: '00:00:02',
        // A hawkBit started seconds before, still warming up on a 2-core CI machine running other
        // suites, answers its first target creations slowly: enrollment waits for it, not 10 s.
        OTA_FORGE_TIMEOUT_MS: '30000',
        HAWKBIT_TIMEOUT_MS: '30000',
      });
      const { urls } = platform;
      return {
        options: {
          url: urls['ORG_URL']!,
          routes: {
            '/org/': urls['ORG_URL']!,
            '/deviceadmin/': urls['ORG_URL']!,
            '/provisioning/': urls['PROVISIONING_URL']!,
            '/ota/': urls['OTA_FORGE_URL']!,
            '/entitlements/': urls['TRUST_MINT_URL']!,
            '/marketplace/': urls['MARKETPLACE_URL']!,
          },
          admin: platform.admin,
          deviceTls: { host: '127.0.0.1', port: platform.deviceTlsPort },
          // Events cross process boundaries through Kafka: give the platform a little longer to settle.
          settleTimeoutMs: 90_000,
        },
        stop: async () => {
          // The five apps' logs, for a failure's post-mortem (tmp/ is ignored by git).
          mkdirSync('tmp', { recursive: true });
          writeFileSync('tmp/real-stack-story.log', platform.output());
          await platform.stop();
        },
      };
    },
    (context) => realStackChecks(context, hawkbit),
    3,
  );
} else {
  describe.skip('the supply-chain story on the real stack (servers absent, reason printed above)', () => {
    it('needs Kafka, Keycloak, hawkBit and PostgreSQL', () => undefined);
  });
}
