import 'reflect-metadata';
import { ProvisioningModule } from '@flexgalaxy/provisioning';
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
  service: 'provisioning',
  sections: serviceSections(DEFAULT_PORTS['provisioning']),
  env: withDataDirDefault(withIssuerDefault(process.env, { port: DEFAULT_PORTS.org }), 'provisioning'),
  module: ({ database, events, auth }) =>
    ServiceRootModule.forRoot({ database, events, auth, imports: [ProvisioningModule] }),
});
