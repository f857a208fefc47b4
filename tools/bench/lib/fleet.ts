import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type pg from 'pg';
import { naturalSortKey } from '@flexgalaxy/targeting';
import { ClientCredentials, type Answer } from '../../demo/story/index.js';
import { eventually } from '../../demo/story/concurrency.js';
import type { PlatformUnderTest } from './platform.js';

/** A call asked again while it answers 4xx because an event has not reached the service yet. */
async function eventuallyAccepted<T>(call: () => Promise<Answer<T>>, timeoutMs = 30_000): Promise<T> {
  const answer = await eventually(
    'the service learns of the new account',
    async () => {
      const result = await call();
      return result.status < 300 ? result : undefined;
    },
    { timeoutMs },
  );
  return answer.body;
}

/** What a maker's service user may do in the benchmarks (seed 000's RoboMake, minus the marketplace). */
const MAKER_PERMISSIONS = [
  'accounts.read',
  'accounts.write',
  'devices.read',
  'devices.write',
  'manufacturer-cas.write',
  'ota.read',
  'ota.write',
];

export interface Account {
  id: string;
  name: string;
  credentials: ClientCredentials;
  /** The service user's settings, for a load generator that logs in itself. */
  client: { clientId: string; clientSecret: string; tokenEndpoint: string };
}

/** A top-level maker account (created by the platform admin) and its service user. */
export async function createMaker(platform: PlatformUnderTest, name: string): Promise<Account> {
  const api = platform.api(platform.urls.org);
  const token = await platform.admin.token();
  const account = await api.expect<{ id: string }>(201, 'POST', '/org/v1/accounts', {
    token,
    body: { name, kind: 'maker' },
  });
  return withServiceUser(platform, account.id, name);
}

/** A child account of `parent` (created by the parent's own service user). */
export async function createChild(platform: PlatformUnderTest, parent: Account, name: string): Promise<Account> {
  const account = await platform
    .api(platform.urls.org)
    .expect<{ id: string }>(201, 'POST', `/org/v1/accounts/${parent.id}/children`, {
      token: await parent.credentials.token(),
      body: { name, kind: 'member' },
    });
  return withServiceUser(platform, account.id, name);
}

async function withServiceUser(platform: PlatformUnderTest, accountId: string, name: string): Promise<Account> {
  const user = await platform
    .api(platform.urls.org)
    .expect<{ clientId: string; clientSecret: string; tokenEndpoint: string }>(
      201,
      'POST',
      `/org/v1/accounts/${accountId}/service-users`,
      {
        token: await platform.admin.token(),
        body: { description: `${name} bench client`, permissions: MAKER_PERMISSIONS },
      },
    );
  return {
    id: accountId,
    name,
    credentials: new ClientCredentials(user.clientId, user.clientSecret, user.tokenEndpoint),
    client: user,
  };
}

/** Software module + a 4 KiB artifact + distribution set, through OTA Forge's API; the set's id. */
export async function publishRelease(platform: PlatformUnderTest, owner: Account, name: string): Promise<number> {
  const api = platform.api(platform.urls.otaForge);
  const token = await owner.credentials.token();
  // OTA Forge learns the account from org.account.created: asked again until it has.
  const module = await eventuallyAccepted(() =>
    api.call<{ id: number }>('POST', '/ota/v1/software-modules', {
      token,
      body: { name, version: '1.0', type: 'os', vendor: owner.name },
    }),
  );
  await api.expect(201, 'POST', `/ota/v1/software-modules/${module.id}/artifacts?filename=${name}.bin`, {
    token,
    body: new Uint8Array(randomBytes(4096)),
  });
  const set = await api.expect<{ id: number }>(201, 'POST', '/ota/v1/distribution-sets', {
    token,
    body: { name, version: '1.0', modules: [module.id] },
  });
  return set.id;
}

interface PolicyAnswer {
  id: string;
  matched: number;
  bulkMatch: { complete: boolean; targetsDone: number; targetsTotal: number | null };
}

/**
 * POST /ota/v1/policies, then (a fleet larger than one bulk-matching chunk is matched after the
 * answer) GET it every 50 ms until its bulk match is complete. Resolves with the policy, how many
 * targets the bulk tier went through, and when the POST answered.
 */
export async function createPolicy(
  platform: PlatformUnderTest,
  owner: Account,
  name: string,
  targetExpression: string,
  distributionSetId: number,
): Promise<{ id: string; matched: number; answeredMs: number }> {
  const started = performance.now();
  const payload = JSON.stringify({ name, targetExpression, distributionSetId, category: 'device_bound' });
  const token = await owner.credentials.token();
  let policy = await callPolicies('POST', '/ota/v1/policies', token, payload, platform.urls.otaForge);
  const answeredMs = performance.now() - started;
  while (!policy.bulkMatch.complete) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    policy = await callPolicies('GET', `/ota/v1/policies/${policy.id}`, token, null, platform.urls.otaForge);
  }
  return { id: policy.id, matched: policy.bulkMatch.targetsDone, answeredMs };
}

function callPolicies(
  method: 'GET' | 'POST',
  path: string,
  token: string,
  payload: string | null,
  base: string,
): Promise<PolicyAnswer> {
  // node:http, not fetch: a large match may take longer than fetch's 300 s header timeout.
  return new Promise((resolve, reject) => {
    const call = request(
      `${base}${path}`,
      {
        method,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json' } : {}) },
        timeout: 1_800_000,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          response.statusCode === (method === 'POST' ? 201 : 200)
            ? resolve(JSON.parse(text) as PolicyAnswer)
            : reject(new Error(`${method} ${path} answered ${response.statusCode}: ${text.slice(0, 500)}`)),
        );
      },
    );
    call.on('error', reject);
    call.end(payload ?? undefined);
  });
}

export interface SeededTargets {
  from: number;
  count: number;
  /** The DDI TargetToken of target `i` (stored only as its sha256, as OTA Forge does). */
  tokenPrefix: string;
  controllerPrefix: string;
}

export const controllerIdOf = (seeded: Pick<SeededTargets, 'controllerPrefix'>, index: number) =>
  `${seeded.controllerPrefix}${String(index).padStart(8, '0')}`;

export const targetTokenOf = (seeded: Pick<SeededTargets, 'tokenPrefix'>, index: number) =>
  `${seeded.tokenPrefix}${index}`;

/**
 * Inserts OTA Forge targets `from … from+count-1` in set-based SQL (generate_series), batch by batch:
 * setup for the scale benchmarks, never measured. Every `holdEvery`-th target gets model "X1H"
 * (so a policy on that model gives exactly those targets an action). The folded values and natural
 * sort keys are the ones @flexgalaxy/targeting computes, so policies match them as they would match
 * enrolled devices.
 */
export async function seedTargets(
  pool: pg.Pool,
  options: { accountId: string; manufacturer: string; from: number; count: number; holdEvery?: number },
): Promise<SeededTargets> {
  const seeded: SeededTargets = {
    from: options.from,
    count: options.count,
    tokenPrefix: `bench-token-${randomBytes(8).toString('hex')}-`,
    controllerPrefix: `b${randomBytes(3).toString('hex')}-`,
  };
  // naturalSortKey('SN-<n>') = key('SN-') + digit-run marker + 3-digit length + digits.
  const serialMarker = naturalSortKey('SN-1').slice(0, -4);
  for (const n of [7, 42, 123456, 1000000]) {
    const sql = `${serialMarker}${String(String(n).length).padStart(3, '0')}${n}`;
    if (sql !== naturalSortKey(`SN-${n}`)) throw new Error(`serial sort key of SN-${n} differs from the SQL form`);
  }
  const batch = 100_000;
  for (let start = options.from; start < options.from + options.count; start += batch) {
    const end = Math.min(options.from + options.count, start + batch) - 1;
    await pool.query(
      `INSERT INTO "ota"."targets" ("controller_id", "account_id", "org_root_id", "maker_account_id", "name",
          "security_token_hash", "type", "type_folded", "model", "model_folded", "revision", "revision_key",
          "manufacturer", "manufacturer_folded", "serial", "serial_key", "firmware_version", "firmware_version_key",
          "capabilities", "timezone", "request_config_data")
       SELECT $1 || lpad(i::text, 8, '0'), $2, $2, $2, 'bench robot ' || i,
              encode(sha256(convert_to($3 || i::text, 'UTF8')), 'hex'),
              'amr', $4, m.model, lower(m.model), 'r3', $5,
              $6, $7, 'SN-' || i, $8 || lpad(length(i::text)::text, 3, '0') || i::text, '1.0', $9,
              ARRAY['navigation', 'charging'], 'UTC', false
         FROM generate_series($10::int, $11::int) i
         CROSS JOIN LATERAL (SELECT CASE WHEN $12::int > 0 AND i % $12::int = 0 THEN 'X1H' ELSE 'X1' END AS model) m`,
      [
        seeded.controllerPrefix,
        options.accountId,
        seeded.tokenPrefix,
        'amr',
        naturalSortKey('r3'),
        options.manufacturer,
        options.manufacturer.toLowerCase(),
        serialMarker,
        naturalSortKey('1.0'),
        start,
        end,
        options.holdEvery ?? 0,
      ],
    );
  }
  await pool.query('ANALYZE "ota"."targets"');
  return seeded;
}

export async function countTargets(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM "ota"."targets"');
  return Number(rows[0]?.n ?? 0);
}
