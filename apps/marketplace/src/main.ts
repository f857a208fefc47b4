import 'reflect-metadata';
import { MarketplaceModule, marketplaceConfigSchema } from '@flexgalaxy/marketplace';
import {
  DEFAULT_PORTS,
  runService,
  ServiceRootModule,
  serviceSections,
  withDataDirDefault,
  withIssuerDefault,
} from '@flexgalaxy/service-kit';

// Alone, the service trusts the org app's embedded issuer unless OIDC_ISSUER_URL names another,
// and reads the reporting APIs of the lone OTA Forge and TrustMint apps unless told otherwise.
const reportingDefaults = {
  OTA_FORGE_URL: `http://127.0.0.1:${DEFAULT_PORTS['ota-forge']}`,
  TRUST_MINT_URL: `http://127.0.0.1:${DEFAULT_PORTS['trust-mint']}`,
};

await runService({
  service: 'marketplace',
  sections: { ...serviceSections(DEFAULT_PORTS['marketplace']), marketplace: marketplaceConfigSchema },
  env: withDataDirDefault(
    withIssuerDefault({ ...reportingDefaults, ...process.env }, { port: DEFAULT_PORTS.org }),
    'marketplace',
  ),
  module: ({ database, events, auth, marketplace }) =>
    ServiceRootModule.forRoot({ database, events, auth, imports: [MarketplaceModule.forRoot(marketplace)] }),
});
