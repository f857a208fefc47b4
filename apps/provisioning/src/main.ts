import 'reflect-metadata';
import {
  DeviceRegistryModule,
  deviceRegistryConfigSchema,
  IdentityModule,
  identityConfigSchema,
} from '@flexgalaxy/adapters';
import { ProvisioningModule, provisioningConfigSchema } from '@flexgalaxy/provisioning';
import {
  DEFAULT_PORTS,
  runService,
  ServiceRootModule,
  serviceSections,
  withDataDirDefault,
  withIssuerDefault,
} from '@flexgalaxy/service-kit';

// Alone, the service trusts the org app's embedded issuer unless OIDC_ISSUER_URL names another,
// and calls the ota-forge app for OTA targets. Devices' M2M clients must live where tokens are
// issued: in the distributed shape that is Keycloak (KEYCLOAK_URL), not an embedded issuer here.
await runService({
  service: 'provisioning',
  sections: {
    ...serviceSections(DEFAULT_PORTS['provisioning']),
    identity: identityConfigSchema,
    registry: deviceRegistryConfigSchema,
    provisioning: provisioningConfigSchema({
      defaultPort: DEFAULT_PORTS['provisioning'],
      defaultOtaForgePort: DEFAULT_PORTS['ota-forge'],
    }),
  },
  env: withDataDirDefault(withIssuerDefault(process.env, { port: DEFAULT_PORTS.org }), 'provisioning'),
  module: ({ database, events, auth, identity, registry, provisioning }) =>
    ServiceRootModule.forRoot({
      database,
      events,
      auth,
      imports: [
        IdentityModule.forRoot(identity),
        DeviceRegistryModule.forRoot(registry),
        ProvisioningModule.forRoot(provisioning),
      ],
    }),
});
