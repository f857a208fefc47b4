import 'reflect-metadata';
import { TrustMintModule, trustMintConfigSchema } from '@flexgalaxy/trust-mint';
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
  service: 'trust-mint',
  sections: { ...serviceSections(DEFAULT_PORTS['trust-mint']), trustMint: trustMintConfigSchema },
  env: withDataDirDefault(withIssuerDefault(process.env, { port: DEFAULT_PORTS.org }), 'trust-mint'),
  module: ({ database, events, auth, trustMint }) =>
    ServiceRootModule.forRoot({ database, events, auth, imports: [TrustMintModule.forRoot(trustMint)] }),
});
