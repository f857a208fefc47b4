import { randomBytes } from 'node:crypto';
import { ScriptedDdiClient } from './ddi-client.js';
import { amr, newToken, uniqueId, type Attributes, type OtaForgeHarness } from './ota-forge.harness.js';

export interface Software {
  moduleId: number;
  setId: number;
  file: Buffer;
  filename: string;
  version: string;
}

/** A developer publishes one software version: module, artifact, distribution set. */
export async function publishSoftware(
  harness: OtaForgeHarness,
  developerToken: string,
  name: string,
  version: string,
  file: Buffer = randomBytes(4096),
): Promise<Software> {
  const module = await harness.call('POST', '/ota/v1/software-modules', developerToken, {
    name,
    version,
    type: 'application',
  });
  if (module.status !== 201) throw new Error(`module: ${module.status} ${JSON.stringify(module.body)}`);
  const moduleId = Number(module.body['id']);
  const filename = `${name.toLowerCase()}-${version}.bin`;
  const upload = await harness.call(
    'POST',
    `/ota/v1/software-modules/${moduleId}/artifacts?filename=${filename}`,
    developerToken,
    file,
  );
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  const set = await harness.call('POST', '/ota/v1/distribution-sets', developerToken, {
    name,
    version,
    modules: [moduleId],
  });
  if (set.status !== 201) throw new Error(`set: ${set.status} ${JSON.stringify(set.body)}`);
  return { moduleId, setId: Number(set.body['id']), file, filename, version };
}

/** Provisioning's PUT /ota/v1/targets; returns a DDI client holding the target's token. */
export async function enrollTarget(
  harness: OtaForgeHarness,
  accountId: string,
  options: { id?: string; attributes?: Attributes; timezone?: string | null } = {},
): Promise<ScriptedDdiClient> {
  const controllerId = options.id ?? uniqueId('amr-x1');
  const token = newToken();
  const put = await harness.call('PUT', `/ota/v1/targets/${controllerId}`, harness.adminToken, {
    accountId,
    name: controllerId,
    securityToken: token,
    attributes: { ...(options.attributes ?? amr(controllerId)), timezone: options.timezone ?? null },
  });
  if (put.status !== 201) throw new Error(`target: ${put.status} ${JSON.stringify(put.body)}`);
  return new ScriptedDdiClient(harness, controllerId, token);
}

export async function createPolicy(
  harness: OtaForgeHarness,
  developerToken: string,
  body: Record<string, unknown>,
): Promise<{ id: string; matched: number; bulkMatch: unknown }> {
  const created = await harness.call('POST', '/ota/v1/policies', developerToken, { name: 'policy', ...body });
  if (created.status !== 201) throw new Error(`policy: ${created.status} ${JSON.stringify(created.body)}`);
  return {
    id: String(created.body['id']),
    matched: Number(created.body['matched']),
    bulkMatch: created.body['bulkMatch'],
  };
}
