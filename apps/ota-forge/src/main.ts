import 'reflect-metadata';
import { OtaForgeModule } from '@flexgalaxy/ota-forge';
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
  service: 'ota-forge',
  sections: serviceSections(DEFAULT_PORTS['ota-forge']),
  env: withDataDirDefault(withIssuerDefault(process.env, { port: DEFAULT_PORTS.org }), 'ota-forge'),
  module: ({ database, events, auth }) =>
    ServiceRootModule.forRoot({ database, events, auth, imports: [OtaForgeModule] }),
});
