import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startAppProcess } from '@flexgalaxy/testing';
import { describeSupplyChainStory } from './supply-chain-story.suite.js';

// The platform as `npm start` starts it: one process, embedded defaults, a fresh PGlite directory.
describeSupplyChainStory('the supply-chain story (seed 000) against the platform process', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-story-'));
  const deviceTlsPort = await freePort();
  const app = await startAppProcess('apps/platform/src/main.ts', {
    PORT: String(await freePort()),
    MQTT_PORT: String(await freePort()),
    DEVICE_TLS_PORT: String(deviceTlsPort),
    PROVISIONING_KEY_FILE: join(dataDir, 'encryption.key'),
    PGLITE_DATA_DIR: join(dataDir, 'pglite'),
    ARTIFACTS_DIR: join(dataDir, 'artifacts'),
    BOOTSTRAP_CREDENTIALS_FILE: join(dataDir, 'bootstrap-admin.json'),
    // Devices are told to come back soon; the story polls actively anyway.
    DDI_POLLING_SLEEP: '00:00:01',
    DDI_DEFERRED_POLLING_SLEEP: '00:00:02',
    DATABASE_URL: '',
    KAFKA_BROKERS: '',
    KEYCLOAK_URL: '',
    THINGSBOARD_URL: '',
  });
  const admin = JSON.parse(readFileSync(join(dataDir, 'bootstrap-admin.json'), 'utf8')) as {
    clientId: string;
    clientSecret: string;
    tokenEndpoint: string;
  };
  return {
    options: { url: app.url, admin, deviceTls: { host: '127.0.0.1', port: deviceTlsPort } },
    stop: async () => {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
