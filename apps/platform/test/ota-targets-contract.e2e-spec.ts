import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeviceRegistryModule,
  deviceRegistryConfigSchema,
  describeOtaTargetsContract,
  OtaForgeTargetsClient,
} from '@flexgalaxy/adapters';
import { ServiceTokenSource } from '@flexgalaxy/auth';
import { OtaForgeModule, otaForgeConfigSchema } from '@flexgalaxy/ota-forge';
import { openTestDatabase, startServiceHarness } from '@flexgalaxy/testing';

/**
 * The OTA_TARGETS contract provisioning relies on, run against the real OTA Forge module (the
 * same suite runs against the HTTP fake in libs/adapters): the two sides of the lead's contract
 * agree, DDI refusal of a rotated-out token included.
 */
describeOtaTargetsContract('OTA Forge HTTP client against the real OTA Forge', async () => {
  const db = await openTestDatabase('pglite');
  const scratch = mkdtempSync(join(tmpdir(), 'fg-ota-contract-'));
  const app = await startServiceHarness(db, {
    imports: [
      DeviceRegistryModule.forRoot(deviceRegistryConfigSchema.parse({ MQTT_PORT: '0' })),
      OtaForgeModule.forRoot(otaForgeConfigSchema.parse({ ARTIFACTS_DIR: join(scratch, 'artifacts') })),
    ],
  });
  const tokens = app.app.get(ServiceTokenSource);
  return {
    targets: new OtaForgeTargetsClient({ url: app.url, timeoutMs: 5000 }, tokens),
    ddiStatus: async (controllerId, token) => {
      const response = await fetch(`${app.url}/DEFAULT/controller/v1/${encodeURIComponent(controllerId)}`, {
        headers: { authorization: `TargetToken ${token}` },
      });
      await response.arrayBuffer();
      return response.status;
    },
    async close() {
      await app.close();
      await db.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
});
