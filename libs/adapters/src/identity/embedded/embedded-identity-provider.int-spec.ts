import { DRIVERS, openTestDatabase } from '@flexgalaxy/testing';
import { describeIdentityProviderContract } from '../identity-provider.contract.js';
import { startEmbeddedIdentity } from '../testing/embedded-identity.harness.js';

describe.each(DRIVERS)('EmbeddedIdentityProvider on %s', (driver) => {
  describeIdentityProviderContract(`embedded issuer (${driver})`, async () => {
    const db = await openTestDatabase(driver);
    const identity = await startEmbeddedIdentity(db);
    return {
      provider: identity.provider,
      audience: identity.config.OIDC_AUDIENCE,
      async close() {
        await identity.close();
        await db.close();
      },
    };
  });
});
