import 'reflect-metadata';
import { resolve } from 'node:path';
import { withArtifactsDirDefault } from '@flexgalaxy/ota-forge';
import { DEFAULT_PORTS, runService, withDataDirDefault, withIssuerDefault } from '@flexgalaxy/service-kit';
import { platformSections } from './platform.config.js';
import { PlatformModule } from './platform.module.js';

// One process, embedded defaults: PGlite in .data/platform, in-process event relay, embedded
// MQTT broker and the embedded OIDC issuer that this same process trusts.
const port = Number(process.env['PORT'] ?? DEFAULT_PORTS.platform);
await runService({
  service: 'platform',
  sections: platformSections,
  env: withArtifactsDirDefault(withDataDirDefault(withIssuerDefault(process.env, { port }), 'platform'), 'platform'),
  module: (config) => PlatformModule.forRoot(config),
  banner: (url, config) => [
    `  org        ${url}/org/v1   deviceadmin ${url}/deviceadmin/v1`,
    `  provisioning ${url}/provisioning/v1   ota ${url}/ota/v1   entitlements ${url}/entitlements/v1   marketplace ${url}/marketplace/v1`,
    `  oidc       ${config.identity.KEYCLOAK_URL ? config.auth.OIDC_ISSUER_URL : `${config.auth.OIDC_ISSUER_URL}/.well-known/openid-configuration`}`,
    `  mqtt       ${config.registry.THINGSBOARD_URL ? `ThingsBoard at ${config.registry.THINGSBOARD_URL}` : `mqtt://${config.registry.MQTT_HOST}:${config.registry.MQTT_PORT}`}`,
    `  database   ${config.database.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(config.database.PGLITE_DATA_DIR)}`}`,
    `  events     ${config.events.KAFKA_BROKERS ? `Kafka at ${config.events.KAFKA_BROKERS}` : 'in-process outbox relay'}`,
    `  admin      platform-admin credentials (first start): ${resolve(config.identity.BOOTSTRAP_CREDENTIALS_FILE)}`,
  ],
});
