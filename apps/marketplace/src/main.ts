import 'reflect-metadata';
import { MarketplaceModule } from '@flexgalaxy/marketplace';
import {
  DEFAULT_PORTS,
  runService,
  ServiceRootModule,
  serviceSections,
  withDataDirDefault,
  withIssuerDefault,
} from '@flexgalaxy/service-kit';

// Alone, the service trusts the org app's embedded issuer unless OIDC_ISSUER_URL names another.
await runService({
  service: 'marketplace',
  sections: serviceSections(DEFAULT_PORTS['marketplace']),
  env: withDataDirDefault(withIssuerDefault(process.env, { port: DEFAULT_PORTS.org }), 'marketplace'),
  module: ({ database, events, auth }) =>
    ServiceRootModule.forRoot({ database, events, auth, imports: [MarketplaceModule] }),
});
