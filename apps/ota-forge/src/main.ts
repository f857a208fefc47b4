import 'reflect-metadata';
import { DeviceRegistryModule, deviceRegistryConfigSchema } from '@flexgalaxy/adapters';
import { OtaForgeModule, otaForgeConfigSchema, withArtifactsDirDefault } from '@flexgalaxy/ota-forge';
import {
  DEFAULT_PORTS,
  runService,
  ServiceRootModule,
  serviceSections,
  withDataDirDefault,
  withIssuerDefault,
} from '@flexgalaxy/service-kit';

// Alone, the service trusts the org app's embedded issuer unless OIDC_ISSUER_URL names another.
// It reads devices' runtime state (battery, task) through the device registry (ThingsBoard in the
// distributed shape).
await runService({
  service: 'ota-forge',
  sections: {
    ...serviceSections(DEFAULT_PORTS['ota-forge']),
    registry: deviceRegistryConfigSchema,
    otaForge: otaForgeConfigSchema,
  },
  env: withArtifactsDirDefault(
    withDataDirDefault(withIssuerDefault(process.env, { port: DEFAULT_PORTS.org }), 'ota-forge'),
    'ota-forge',
  ),
  module: ({ database, events, auth, registry, otaForge }) =>
    ServiceRootModule.forRoot({
      database,
      events,
      auth,
      imports: [DeviceRegistryModule.forRoot(registry), OtaForgeModule.forRoot(otaForge)],
    }),
});
