/**
 * `npm run demo`: seed 000's supply-chain story, narrated, against a platform it starts (embedded
 * defaults in a scratch directory) or one already running (`--url`). The steps are the same ones
 * the acceptance test runs (apps/platform/test/story.e2e-spec.ts), from ./story.
 *
 *   npm run demo
 *   npm run demo -- --url http://127.0.0.1:8080 --admin-credentials .data/bootstrap-admin.json \
 *                   --device-tls 127.0.0.1:8443
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConsoleNarrator, StoryCheckError, SupplyChainStory } from './story/index.js';

const USAGE = `usage: npm run demo [-- options]

  (no --url)                     start the platform on embedded defaults in a scratch directory
  --url <base>                   use a running platform instead (e.g. http://127.0.0.1:8080)
  --admin-credentials <file>     its bootstrap admin credentials (default .data/bootstrap-admin.json)
  --device-tls <host:port>       its device TLS listener (default 127.0.0.1:8443)
  --manufacturer <name>          the robots' manufacturer (default RoboMake; RoboMake-<run> with --url,
                                 since a platform lets one account speak for a manufacturer)
  --concurrency <n>              robots working at once (default 10)
  --keep-data                    keep the started platform's data directory
  --help`;

interface AdminCredentials {
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
}

interface Platform {
  url: string;
  admin: AdminCredentials;
  deviceTls: { host: string; port: number };
  stop(): Promise<void>;
}

function readAdmin(file: string): AdminCredentials {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<AdminCredentials>;
  if (!parsed.clientId || !parsed.clientSecret || !parsed.tokenEndpoint) {
    throw new Error(`${file} holds no clientId / clientSecret / tokenEndpoint`);
  }
  return { clientId: parsed.clientId, clientSecret: parsed.clientSecret, tokenEndpoint: parsed.tokenEndpoint };
}

function hostPort(value: string): { host: string; port: number } {
  const match = /^(.+):(\d+)$/.exec(value);
  if (!match) throw new Error(`--device-tls must be host:port, not ${value}`);
  return { host: match[1]!, port: Number(match[2]) };
}

/** The platform as `npm start` runs it, on free ports and in a scratch directory. */
async function startPlatform(keepData: boolean, say: (line: string) => void): Promise<Platform> {
  // Loaded here: the testing lib brings the whole workspace along, which --url does not need.
  const { freePort, startAppProcess } = await import('@flexgalaxy/testing');
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-demo-'));
  const deviceTlsPort = await freePort();
  say(`starting the platform (embedded defaults, data in ${dataDir}) …`);
  let app;
  try {
    app = await startAppProcess(
      'apps/platform/src/main.ts',
      {
        PORT: String(await freePort()),
        MQTT_PORT: String(await freePort()),
        DEVICE_TLS_PORT: String(deviceTlsPort),
        PGLITE_DATA_DIR: join(dataDir, 'pglite'),
        ARTIFACTS_DIR: join(dataDir, 'artifacts'),
        PROVISIONING_KEY_FILE: join(dataDir, 'encryption.key'),
        BOOTSTRAP_CREDENTIALS_FILE: join(dataDir, 'bootstrap-admin.json'),
        // The demo's robots poll actively; a real fleet would sleep what the server says.
        DDI_POLLING_SLEEP: '00:00:01',
        DDI_DEFERRED_POLLING_SLEEP: '00:00:02',
        DATABASE_URL: '',
        KAFKA_BROKERS: '',
        KEYCLOAK_URL: '',
        THINGSBOARD_URL: '',
      },
      120_000,
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const started = app;
  say(`platform listening on ${started.url}; device TLS on 127.0.0.1:${deviceTlsPort}`);
  return {
    url: started.url,
    admin: readAdmin(join(dataDir, 'bootstrap-admin.json')),
    deviceTls: { host: '127.0.0.1', port: deviceTlsPort },
    stop: async () => {
      await started.stop();
      if (keepData) say(`platform data kept in ${dataDir}`);
      else rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'admin-credentials': { type: 'string', default: '.data/bootstrap-admin.json' },
      'device-tls': { type: 'string', default: '127.0.0.1:8443' },
      manufacturer: { type: 'string' },
      concurrency: { type: 'string', default: '10' },
      'keep-data': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const narrator = new ConsoleNarrator();
  const say = (line: string) => narrator.say(line);
  console.log('FlexGalaxy: the supply-chain story (seed 000)');
  const platform: Platform = values.url
    ? {
        url: values.url.replace(/\/$/, ''),
        admin: readAdmin(resolve(values['admin-credentials'])),
        deviceTls: hostPort(values['device-tls']),
        stop: async () => undefined,
      }
    : await startPlatform(values['keep-data'], say);
  const stopOnSignal = () => void platform.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  const manufacturer = values.manufacturer ?? (values.url ? `RoboMake-${randomBytes(2).toString('hex')}` : 'RoboMake');
  if (manufacturer !== 'RoboMake') say(`robots are made by "${manufacturer}" (its own manufacturer CA)`);
  const started = Date.now();
  try {
    const story = new SupplyChainStory({
      url: platform.url,
      admin: platform.admin,
      deviceTls: platform.deviceTls,
      narrator,
      manufacturer,
      concurrency: Math.max(1, Number(values.concurrency) || 10),
    });
    await story.createAccounts();
    await story.publishSoftware();
    await story.enrollRobots();
    await story.rollOut();
    await story.transferThroughSupplyChain();
    const visibility = await story.checkVisibility();
    await story.developerMetrics();
    await story.leaveTheOrg();
    await story.summary(visibility);
    console.log(`\nThe story holds: every step checked, in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } catch (error) {
    const broken = error instanceof StoryCheckError ? 'a promise of seed 000 does not hold' : 'the story stopped';
    console.error(`\n✘ ${broken}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await platform.stop();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  if (String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) console.error(USAGE);
  return 2;
});
