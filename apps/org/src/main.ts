import 'reflect-metadata';
import { IdentityModule, identityConfigSchema } from '@flexgalaxy/adapters';
import { OrgModule, orgConfigSchema } from '@flexgalaxy/org';
import {
  DEFAULT_PORTS,
  runService,
  ServiceRootModule,
  serviceSections,
  withDataDirDefault,
  withIssuerDefault,
} from '@flexgalaxy/service-kit';

// The org app hosts identity (accounts' service users), so without Keycloak it runs the
// embedded issuer that every other service trusts.
await runService({
  service: 'org',
  sections: {
    ...serviceSections(DEFAULT_PORTS.org),
    identity: identityConfigSchema,
    org: orgConfigSchema({ defaultPort: DEFAULT_PORTS.org, defaultProvisioningPort: DEFAULT_PORTS.provisioning }),
  },
  env: withDataDirDefault(
    withIssuerDefault(process.env, { port: Number(process.env['PORT'] ?? DEFAULT_PORTS.org) }),
    'org',
  ),
  module: ({ database, events, auth, identity, org }) =>
    ServiceRootModule.forRoot({
      database,
      events,
      auth,
      imports: [IdentityModule.forRoot(identity), OrgModule.forRoot(org)],
    }),
});
