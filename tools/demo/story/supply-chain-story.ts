import { randomBytes, X509Certificate } from 'node:crypto';
import { Api, ClientCredentials, type Answer, type ApiRoutes, type CallOptions } from './api.js';
import {
  CAST,
  DAYTIME_SITES,
  EXPECTED_VISIBILITY,
  isBusy,
  LEAVER,
  localTime,
  ORG_ACTORS,
  REVISION_R2,
  ROBOT_COUNT,
  robotNumbers,
  TO_DISTRIBUTORS,
  TO_JAPAN_CUSTOMERS,
  zoneWhereLocalHourIs,
  type ActorKey,
} from './cast.js';
import { eventually, mapLimit } from './concurrency.js';
import { ManufacturerCa } from './device-pki.js';
import type { Narrator, Table } from './narrator.js';
import { Robot, type DeviceCredentials } from './robot.js';

/** A check of the story failed: the platform did not do what seed 000 says. */
export class StoryCheckError extends Error {}

function check(condition: unknown, message: string, details?: unknown): asserts condition {
  if (!condition) throw new StoryCheckError(details === undefined ? message : `${message}: ${JSON.stringify(details)}`);
}

export interface SupplyChainStoryOptions {
  /** The platform's base URL (`http://127.0.0.1:8080`). */
  url: string;
  /** Where the services run as separate processes: their URLs by path prefix (see ApiRoutes). */
  routes?: ApiRoutes;
  /** The bootstrap platform admin (`.data/bootstrap-admin.json`). */
  admin: { clientId: string; clientSecret: string; tokenEndpoint: string };
  /** The device TLS listener (DEVICE_TLS_HOST / DEVICE_TLS_PORT). */
  deviceTls: { host: string; port: number };
  narrator: Narrator;
  /** The robots' manufacturer (subject O of RoboMake's CA); a platform lets one account speak for it. */
  manufacturer?: string;
  /** Robots working at once. */
  concurrency?: number;
  /** How long to wait for what the platform does after answering (events, projections). */
  settleTimeoutMs?: number;
  now?: () => Date;
}

export interface Actor {
  key: ActorKey;
  name: string;
  id: string;
  credentials: ClientCredentials;
}

interface AccountBody {
  id: string;
  kind: string;
  parentId: string | null;
  orgRootId: string;
}

interface ServiceUserBody {
  clientId: string;
  clientSecret: string;
  tokenEndpoint: string;
}

interface ListingBody {
  id: string;
  name: string;
  status: string;
  latestVersion: string | null;
}

interface ActionBody {
  id: number;
  listingId: string | null;
  softwareName: string;
  softwareVersion: string;
  status: string;
  deferredReason: string | null;
}

interface BatchTransferBody {
  total: number;
  succeeded: number;
  failed: number;
  results: { deviceId: string; status: string; httpStatus: number; credentials?: DeviceCredentials; error?: unknown }[];
}

interface DevicePageBody {
  items: { id: string; ownerAccountId: string; serial: string }[];
  total: number;
}

interface LicenseStatusBody {
  licenseId: string;
  deviceId: string;
  softwareId: string;
  type: string;
  status: string;
}

export interface DeveloperMetrics {
  devicesMatched: number | null;
  installs: { successful: number; failed: number; inProgress: number } | null;
  licenses: { active: number; byType: Record<string, number> } | null;
  gets: { total: number; byScope: { account: number; org: number } };
  sources: { otaForge: string; trustMint: string };
}

/** One software a developer (or the maker) publishes: its listing, OTA set and rollout policy. */
interface Software {
  name: string;
  listingId: string;
  policyId: string;
  publisher: ActorKey;
}

export interface RolloutOutcome {
  /** NavSoft deferrals observed on the owner's OTA actions, by reason. */
  deferred: Record<string, number>;
  robotOsInstalled: number;
  navSoftInstalled: number;
  /** Robots NavSoft never targeted (revision r2). */
  notTargeted: number;
  navSoftLicensed: number;
  nightZone: string;
  dayZone: string;
}

export interface TransferOutcome {
  from: ActorKey;
  to: ActorKey;
  devices: number;
  oldMqttRefused: number;
  oldDdiRefused: number;
  newCredentialsWork: number;
}

export interface VisibilityRow {
  actor: ActorKey;
  name: string;
  owns: number;
  sees: number;
  expected: number;
}

export interface OutsideOrgOutcome {
  robotOsOutside: string | undefined;
  navSoftOutsideBeforeGet: string | undefined;
  navSoftActionsBeforeGet: number;
  navSoftOutsideAfterGet: string | undefined;
  insideOnNavSoft31: number;
  insideR3: number;
  outsideLicense: string;
}

const NAVSOFT_TARGET = 'type = "amr" AND model = "X1" AND revision >= "r3"';

/**
 * seed 000's supply-chain story, step by step, against a running platform and only through what
 * any client has: the public HTTP APIs, MQTT, DDI and the device TLS listener. Each step checks
 * what the seed promises (a StoryCheckError names the broken promise) and returns what it
 * observed, so the acceptance test can assert on it and the demo can print it.
 */
export class SupplyChainStory {
  readonly api: Api;
  readonly actors = new Map<ActorKey, Actor>();
  readonly robots: Robot[] = [];
  /** Current owner of each robot, by robot number. */
  readonly owners = new Map<number, ActorKey>();
  private readonly admin: ClientCredentials;
  private readonly narrator: Narrator;
  private readonly manufacturer: string;
  private readonly concurrency: number;
  private readonly settle: number;
  private readonly now: () => Date;
  private readonly software = new Map<'navSoft' | 'robotOs', Software>();
  /** Robots whose NavSoft license TrustMint confirmed to the robot itself. */
  private readonly licensed = new Set<string>();
  private rootCaPem = '';
  nightZone = '';
  dayZone = '';

  constructor(private readonly options: SupplyChainStoryOptions) {
    this.api = new Api(options.url.replace(/\/$/, ''), options.routes);
    this.admin = new ClientCredentials(options.admin.clientId, options.admin.clientSecret, options.admin.tokenEndpoint);
    this.narrator = options.narrator;
    this.manufacturer = options.manufacturer ?? 'RoboMake';
    this.concurrency = options.concurrency ?? 10;
    this.settle = options.settleTimeoutMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
  }

  actor(key: ActorKey): Actor {
    const actor = this.actors.get(key);
    if (!actor) throw new Error(`${CAST[key].name} does not exist yet`);
    return actor;
  }

  robot(number: number): Robot {
    const robot = this.robots[number - 1];
    if (!robot) throw new Error(`robot ${number} does not exist`);
    return robot;
  }

  private async as(key: ActorKey | 'admin'): Promise<string> {
    return key === 'admin' ? this.admin.token() : this.actor(key).credentials.token();
  }

  private async call<T>(
    who: ActorKey | 'admin',
    expected: number | number[],
    method: string,
    path: string,
    options: Omit<CallOptions, 'token'> = {},
  ): Promise<T> {
    return this.api.expect<T>(expected, method, path, { ...options, token: await this.as(who) });
  }

  /**
   * A call that may meet a service which has not heard yet of what another one just did (an
   * account, a listing: events cross the platform after the answer): asked again while it answers
   * one of `notYet` error codes.
   */
  private async once<T>(
    who: ActorKey | 'admin',
    expected: number | number[],
    method: string,
    path: string,
    options: Omit<CallOptions, 'token'>,
    notYet: string[],
  ): Promise<T> {
    const accepted = Array.isArray(expected) ? expected : [expected];
    const answer = await eventually(
      `${method} ${path}`,
      async () => {
        const result: Answer<Record<string, unknown>> = await this.api.call(method, path, {
          ...options,
          token: await this.as(who),
        });
        if (accepted.includes(result.status)) return result;
        if (notYet.includes(String(result.body['code']))) return undefined;
        return result;
      },
      { timeoutMs: this.settle },
    );
    if (!accepted.includes(answer.status)) {
      throw new StoryCheckError(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return answer.body as T;
  }

  // ── Step 1 ────────────────────────────────────────────────────────────────────────────────

  /** SyriusSoft, RoboMake (org root), its four distributors, and Japan's two customers. */
  async createAccounts(): Promise<void> {
    this.narrator.chapter(1, 'Accounts: a developer, a maker and its organisation');
    for (const key of ORG_ACTORS) await this.createAccount(key);
    this.narrator.say(
      `RoboMake is the organisation root of ${ORG_ACTORS.length - 2} accounts; SyriusSoft stands alone`,
    );
  }

  /** The top of `key`'s hierarchy in the cast (RoboMake for its distributors and their customers). */
  private orgRootOf(key: ActorKey): ActorKey {
    let root = key;
    for (let parent = CAST[root].parent; parent; parent = CAST[parent].parent) root = parent;
    return root;
  }

  private async createAccount(key: ActorKey): Promise<Actor> {
    const spec = CAST[key];
    const parent = spec.parent ? this.actor(spec.parent) : null;
    // A top-level account is the platform operator's to create; a child, its parent's own.
    const account = parent
      ? await this.call<AccountBody>(spec.parent as ActorKey, 201, 'POST', `/org/v1/accounts/${parent.id}/children`, {
          body: { name: spec.name, kind: spec.kind },
        })
      : await this.call<AccountBody>('admin', 201, 'POST', '/org/v1/accounts', {
          body: { name: spec.name, kind: spec.kind },
        });
    check(account.kind === spec.kind, `${spec.name} is a ${spec.kind} account`, account);
    if (parent) {
      check(account.parentId === parent.id, `${spec.name} sits under ${parent.name}`, account);
      const root = this.actor(this.orgRootOf(key));
      check(account.orgRootId === root.id, `${spec.name} belongs to ${root.name}'s org`, account);
    }
    // AdminCenter "Service Users": the account's machine client; its secret is shown this once.
    const user = await this.call<ServiceUserBody>(
      'admin',
      201,
      'POST',
      `/org/v1/accounts/${account.id}/service-users`,
      {
        body: { description: `${spec.name} story client`, permissions: spec.permissions },
      },
    );
    const actor: Actor = {
      key,
      name: spec.name,
      id: account.id,
      credentials: new ClientCredentials(user.clientId, user.clientSecret, user.tokenEndpoint),
    };
    this.actors.set(key, actor);
    this.narrator.say(
      `${spec.name.padEnd(22)} ${spec.kind.padEnd(9)} ${parent ? `under ${parent.name}` : 'top level'} · service user ${user.clientId}`,
    );
    return actor;
  }

  // ── Step 2 ────────────────────────────────────────────────────────────────────────────────

  /**
   * SyriusSoft publishes NavSoft 3.0 for AMR-X1 rev ≥ r3 (per-device perpetual, issued on install)
   * and its policy with seed 000's constraints; RoboMake Gets it org-wide, then publishes and Gets
   * its device-bound RobotOS, whose policy targets the manufacturer.
   */
  async publishSoftware(): Promise<void> {
    this.narrator.chapter(2, 'Software: NavSoft from SyriusSoft, RobotOS from RoboMake');
    const navSoft = await this.publishListing('syriusSoft', {
      softwareId: 'navsoft',
      name: 'NavSoft',
      description: 'Warehouse navigation for AMR-X1 robots',
      category: 'application',
      compatibleDevices: NAVSOFT_TARGET,
      versionScoping: 'all',
      licensePolicy: { softwareType: 'navigation', licenseType: 'per-device perpetual', trigger: 'on_install' },
    });
    await this.publishVersion('syriusSoft', navSoft, '3.0');
    const navSet = await this.uploadRelease('syriusSoft', 'NavSoft', '3.0', 'application');
    const navPolicy = await this.call<{ id: string; matched: number }>('syriusSoft', 201, 'POST', '/ota/v1/policies', {
      body: {
        name: 'Install on all AMR-X1 rev >= r3',
        targetExpression: NAVSOFT_TARGET,
        distributionSetId: navSet,
        listingId: navSoft.id,
        category: 'application',
        constraints: {
          minBattery: 50,
          notExecutingTask: true,
          maintenanceWindow: { start: '00:00', end: '06:00' },
        },
      },
    });
    this.software.set('navSoft', {
      name: 'NavSoft',
      listingId: navSoft.id,
      policyId: navPolicy.id,
      publisher: 'syriusSoft',
    });
    this.narrator.say(
      `SyriusSoft's policy "install on all AMR-X1 rev ≥ r3": battery > 50 %, not executing a task, 00:00–06:00 local`,
    );

    // RoboMake browses the catalog and Gets NavSoft for its whole organisation.
    const catalog = await this.call<{ items: ListingBody[] }>(
      'roboMake',
      200,
      'GET',
      '/marketplace/v1/listings?q=NavSoft',
    );
    check(
      catalog.items.some((item) => item.id === navSoft.id),
      'RoboMake finds NavSoft in the catalog',
      catalog,
    );
    await this.getListing('roboMake', navSoft.id, 'org');
    this.narrator.say('RoboMake "Get"s NavSoft 3.0 · scope: organisation-wide');

    const robotOs = await this.publishListing('roboMake', {
      softwareId: 'robotos',
      name: 'RobotOS',
      description: 'Operating system of RoboMake robots',
      category: 'device_bound',
      compatibleDevices: `manufacturer = "${this.manufacturer}"`,
      versionScoping: 'all',
      licensePolicy: { softwareType: 'firmware', licenseType: 'per-device perpetual - free', trigger: 'on_install' },
    });
    await this.publishVersion('roboMake', robotOs, '1.0');
    await this.getListing('roboMake', robotOs.id, 'org');
    const osSet = await this.uploadRelease('roboMake', 'RobotOS', '1.0', 'os');
    const osPolicy = await this.call<{ id: string }>('roboMake', 201, 'POST', '/ota/v1/policies', {
      body: {
        name: `RobotOS on every ${this.manufacturer} robot`,
        targetExpression: `manufacturer = "${this.manufacturer}"`,
        distributionSetId: osSet,
        listingId: robotOs.id,
        category: 'device_bound',
      },
    });
    this.software.set('robotOs', {
      name: 'RobotOS',
      listingId: robotOs.id,
      policyId: osPolicy.id,
      publisher: 'roboMake',
    });
    this.narrator.say(
      `RoboMake's device-bound RobotOS 1.0, Got org-wide, targets manufacturer = "${this.manufacturer}"`,
    );
  }

  private async publishListing(who: ActorKey, body: Record<string, unknown>): Promise<ListingBody> {
    // The marketplace learns of the new account from org.account.created.
    const listing = await this.once<ListingBody>(who, 201, 'POST', '/marketplace/v1/listings', { body }, [
      'LISTING.PUBLISHER_ACCOUNT_REQUIRED',
    ]);
    return listing;
  }

  private async publishVersion(publisher: ActorKey, listing: ListingBody, version: string): Promise<void> {
    await this.call(publisher, 201, 'POST', `/marketplace/v1/listings/${listing.id}/versions`, {
      body: { version, releaseNotes: `${listing.name} ${version}` },
    });
    this.narrator.say(`${CAST[publisher].name} publishes ${listing.name} ${version} on the marketplace`);
  }

  private async getListing(who: ActorKey, listingId: string, scope: 'account' | 'org'): Promise<void> {
    const grant = await this.once<{ scope: string }>(
      who,
      [200, 201],
      'POST',
      `/marketplace/v1/listings/${listingId}/get`,
      { body: { scope } },
      ['GRANT.ORG_ROOT_REQUIRED'],
    );
    check(grant.scope === scope, `the Get is ${scope}-wide`, grant);
  }

  /** Software module + artifact (raw bytes) + distribution set; returns the set's id. */
  private async uploadRelease(who: ActorKey, name: string, version: string, type: string): Promise<number> {
    const module = await this.call<{ id: number }>(who, 201, 'POST', '/ota/v1/software-modules', {
      body: { name, version, type, vendor: CAST[who].name },
    });
    const file = randomBytes(4096);
    const filename = `${name.toLowerCase()}-${version}.bin`;
    const artifact = await this.call<{ size: number; hashes: { sha256: string } }>(
      who,
      201,
      'POST',
      `/ota/v1/software-modules/${module.id}/artifacts?filename=${filename}`,
      { body: new Uint8Array(file) },
    );
    check(artifact.size === file.length, `${filename} stored whole`, artifact);
    const set = await this.call<{ id: number }>(who, 201, 'POST', '/ota/v1/distribution-sets', {
      body: { name, version, modules: [module.id] },
    });
    this.narrator.say(
      `${CAST[who].name} uploads ${filename} (${file.length} B, sha256 ${artifact.hashes.sha256.slice(0, 12)}…)`,
    );
    return set.id;
  }

  // ── Step 3 ────────────────────────────────────────────────────────────────────────────────

  /**
   * RoboMake's sub-CA is signed by the platform root through the CSR endpoint; each of the 100
   * controllers enrolls at the factory over mTLS with a certificate from that CA, and becomes an
   * AMR-X1 at assembly. A few are revision r2.
   */
  async enrollRobots(): Promise<void> {
    this.narrator.chapter(3, `Factory and assembly: ${ROBOT_COUNT} AMR-X1 robots enroll over mTLS`);
    const now = this.now();
    this.nightZone = zoneWhereLocalHourIs(3, now);
    this.dayZone = zoneWhereLocalHourIs(12, now);
    const root = await this.api.expect<{ certificatePem: string }>(200, 'GET', '/provisioning/v1/root-ca');
    this.rootCaPem = root.certificatePem;
    const ca = new ManufacturerCa(this.manufacturer, `${this.manufacturer} Devices CA`);
    const registered = await this.once<{ manufacturer: string; certificatePem: string }>(
      'roboMake',
      201,
      'POST',
      '/provisioning/v1/manufacturer-cas/csr',
      { body: { csrPem: ca.csrPem(), validDays: 3650 } },
      ['ACCOUNT.NOT_FOUND'],
    );
    const subCa = ca.adopt(registered.certificatePem);
    check(registered.manufacturer === this.manufacturer, 'the sub-CA speaks for RoboMake', registered);
    check(subCa.verify(new X509Certificate(this.rootCaPem).publicKey), "RoboMake's sub-CA chains to the platform root");
    this.narrator.say(`RoboMake's sub-CA "${this.manufacturer} Devices CA" is signed by the FlexGalaxy root (CSR)`);
    this.narrator.say(
      `robots are assembled for sites in ${this.nightZone} (local ${localTime(this.nightZone, now)}, inside 00:00–06:00); ` +
        `robots ${[...DAYTIME_SITES].join(', ')} for ${this.dayZone} (local ${localTime(this.dayZone, now)})`,
    );

    const endpoint = { ...this.options.deviceTls, rootCaPem: this.rootCaPem };
    for (let number = 1; number <= ROBOT_COUNT; number++) {
      const id = String(number).padStart(3, '0');
      const controllerSerial = `CTRL-X1-${id}`;
      this.robots.push(
        new Robot(
          {
            number,
            controllerSerial,
            serial: `AMR-X1-${id}`,
            model: 'X1',
            revision: REVISION_R2.has(number) ? 'r2' : 'r3',
            timezone: DAYTIME_SITES.has(number) ? this.dayZone : this.nightZone,
          },
          ca.issueDevice(controllerSerial),
          endpoint,
        ),
      );
    }
    const roboMake = this.actor('roboMake');
    const progress = this.narrator.progress('robots enrolled (factory → assembly)', ROBOT_COUNT);
    await mapLimit(
      this.robots,
      this.concurrency,
      async (robot) => {
        const factory = await robot.enrollAtFactory(this.manufacturer);
        check(
          factory.state === 'FACTORY_PROVISIONED',
          `${robot.spec.controllerSerial} is factory provisioned`,
          factory,
        );
        check(factory.accountId === roboMake.id, `${robot.spec.controllerSerial} belongs to RoboMake`, factory);
        check(!factory.credentials.m2m, 'a bare controller gets no M2M client (seed 002)', factory.credentials);
        const assembled = await robot.assemble(ca.issueDevice(robot.spec.serial));
        check(assembled.deviceId === factory.deviceId, `${robot.label} keeps its device id through assembly`);
        check(assembled.state === 'ASSEMBLED' && assembled.credentials.m2m, `${robot.label} is assembled`, assembled);
        this.owners.set(robot.spec.number, 'roboMake');
      },
      () => progress.tick(),
    );
    progress.done(
      `${ROBOT_COUNT} robots enrolled and assembled: ${ROBOT_COUNT - REVISION_R2.size} rev r3, ${REVISION_R2.size} rev r2 (robots ${[...REVISION_R2].join(', ')})`,
    );
  }

  // ── Step 4 ────────────────────────────────────────────────────────────────────────────────

  private async actionsOf(who: ActorKey, robot: Robot): Promise<ActionBody[]> {
    return (await this.call<{ items: ActionBody[] }>(who, 200, 'GET', `/ota/v1/actions?deviceId=${robot.deviceId}`))
      .items;
  }

  private async licenseOf(robot: Robot, software: 'navSoft' | 'robotOs'): Promise<Answer<LicenseStatusBody>> {
    const listingId = this.need(software).listingId;
    return this.api.call<LicenseStatusBody>(
      'GET',
      `/entitlements/v1/devices/${robot.deviceId}/license-status?softwareId=${listingId}`,
      { token: await robot.m2m().token() },
    );
  }

  private need(software: 'navSoft' | 'robotOs'): Software {
    const found = this.software.get(software);
    if (!found) throw new Error(`${software} is not published yet`);
    return found;
  }

  private expectedDeferral(robot: Robot): string {
    if (DAYTIME_SITES.has(robot.spec.number)) return 'outside_maintenance_window';
    return isBusy(robot.spec.number) ? 'executing_task' : 'battery_low';
  }

  /**
   * Every robot reports its state over MQTT and polls DDI: RobotOS (no constraints) installs at
   * once; NavSoft waits while the battery is low, a task runs or the site is outside its window —
   * observed on RoboMake's OTA actions — then installs once the robot charges, finishes its task,
   * or is activated at a night-time site. Each install is checked by sha256 and reported; TrustMint
   * then holds a license the robot itself can check with its M2M client.
   */
  async rollOut(): Promise<RolloutOutcome> {
    this.narrator.chapter(4, 'Zero-touch OTA: RobotOS, then NavSoft under its constraints');
    const navSoft = this.need('navSoft');
    const deferred: Record<string, number> = {};
    let progress = this.narrator.progress('robots report telemetry and poll DDI', ROBOT_COUNT);
    await mapLimit(
      this.robots,
      this.concurrency,
      async (robot) => {
        await robot.report(
          isBusy(robot.spec.number) ? { battery: 90, task: 'executing' } : { battery: 30, task: 'idle' },
        );
        if (robot.spec.revision === 'r2') {
          await eventually(
            `${robot.label} installs RobotOS`,
            async () => {
              await robot.update();
              return robot.software.has('RobotOS') ? true : undefined;
            },
            { timeoutMs: this.settle },
          );
          return;
        }
        const action = await eventually(
          `${robot.label}'s NavSoft deferral`,
          async () => {
            await robot.update();
            const nav = (await this.actionsOf('roboMake', robot)).find((item) => item.listingId === navSoft.listingId);
            return robot.software.has('RobotOS') && nav?.status === 'scheduled' && nav.deferredReason ? nav : undefined;
          },
          { timeoutMs: this.settle },
        );
        check(
          action.deferredReason === this.expectedDeferral(robot),
          `${robot.label} waits for the right reason`,
          action,
        );
        check(!robot.software.has('NavSoft'), `${robot.label} was not offered NavSoft while deferred`);
        check((await this.licenseOf(robot, 'navSoft')).status === 404, `${robot.label} holds no NavSoft license yet`);
        deferred[action.deferredReason ?? 'none'] = (deferred[action.deferredReason ?? 'none'] ?? 0) + 1;
      },
      () => progress.tick(),
    );
    progress.done(
      `RobotOS 1.0 on ${this.count((robot) => robot.software.get('RobotOS') === '1.0')} robots; NavSoft deferred: ` +
        Object.entries(deferred)
          .map(([reason, count]) => `${count} ${reason}`)
          .join(', '),
    );

    // The r2 robots are no candidates at all (static tier).
    for (const number of REVISION_R2) {
      const actions = await this.actionsOf('roboMake', this.robot(number));
      check(
        !actions.some((action) => action.listingId === navSoft.listingId),
        `rev r2 robot ${number} is not targeted by NavSoft`,
        actions,
      );
    }

    const daytime = [...DAYTIME_SITES].map((number) => this.robot(number));
    progress = this.narrator.progress(
      'robots charge, finish their tasks and install NavSoft',
      ROBOT_COUNT - REVISION_R2.size,
    );
    const r3 = this.robots.filter((robot) => robot.spec.revision === 'r3');
    await mapLimit(
      r3,
      this.concurrency,
      async (robot) => {
        await robot.report({ battery: 85, task: 'idle' });
        if (DAYTIME_SITES.has(robot.spec.number)) {
          // Charged and idle, but midday at its site: the window still holds it back.
          check((await robot.update()).length === 0, `${robot.label} still waits for its maintenance window`);
          const nav = (await this.actionsOf('roboMake', robot)).find((item) => item.listingId === navSoft.listingId);
          check(nav?.deferredReason === 'outside_maintenance_window', `${robot.label} waits for its window`, nav);
          return;
        }
        await this.installNavSoft(robot, '3.0');
      },
      () => progress.tick(),
    );
    for (const robot of daytime) {
      // Field activation at its customer's site (its own certificate; credentials rotated).
      const activated = await robot.activateInField(this.nightZone);
      check(activated.state === 'FIELD_ACTIVE', `${robot.label} is field active`, activated);
      await robot.report({ battery: 85, task: 'idle' });
      await this.installNavSoft(robot, '3.0');
    }
    const navInstalled = this.count((robot) => robot.software.get('NavSoft') === '3.0');
    progress.done(
      `NavSoft 3.0 installed on ${navInstalled} robots (robots ${daytime.map((robot) => robot.spec.number).join(', ')} ` +
        `after field activation in ${this.nightZone}); each holds an OFFICIAL license`,
    );
    return {
      deferred,
      robotOsInstalled: this.count((robot) => robot.software.get('RobotOS') === '1.0'),
      navSoftInstalled: navInstalled,
      notTargeted: this.count((robot) => !robot.installs.some((item) => item.name === 'NavSoft')),
      navSoftLicensed: this.licensed.size,
      nightZone: this.nightZone,
      dayZone: this.dayZone,
    };
  }

  /** Polls until NavSoft `version` is offered, installs it, and waits for TrustMint's license. */
  private async installNavSoft(robot: Robot, version: string): Promise<void> {
    await eventually(
      `${robot.label} installs NavSoft ${version}`,
      async () => {
        await robot.update();
        return robot.software.get('NavSoft') === version ? true : undefined;
      },
      { timeoutMs: this.settle },
    );
    const license = await eventually(
      `${robot.label}'s NavSoft license`,
      async () => {
        const answer = await this.licenseOf(robot, 'navSoft');
        return answer.status === 200 ? answer.body : undefined;
      },
      { timeoutMs: this.settle },
    );
    check(
      license.status === 'valid' && license.type === 'OFFICIAL',
      `${robot.label}'s NavSoft license entitles`,
      license,
    );
    this.licensed.add(robot.deviceId);
  }

  private count(predicate: (robot: Robot) => boolean): number {
    return this.robots.filter(predicate).length;
  }

  // ── Step 5 ────────────────────────────────────────────────────────────────────────────────

  /** RoboMake ships 20 / 60 / 15 / 5 robots; Japan sells 30 to Warehouse A and 15 to Factory B. */
  async transferThroughSupplyChain(): Promise<TransferOutcome[]> {
    this.narrator.chapter(5, 'Ownership: through the distributors to the end users');
    const outcomes: TransferOutcome[] = [];
    for (const batch of TO_DISTRIBUTORS) outcomes.push(await this.transfer('roboMake', batch.to, robotNumbers(batch)));
    for (const batch of TO_JAPAN_CUSTOMERS) outcomes.push(await this.transfer('japan', batch.to, robotNumbers(batch)));
    return outcomes;
  }

  /**
   * One DeviceAdmin batch call; every robot receives its rotated credentials, and the old ones
   * must stop working: the broker refuses the old MQTT token at CONNECT, DDI answers 401.
   */
  async transfer(from: ActorKey, to: ActorKey, numbers: number[]): Promise<TransferOutcome> {
    const robots = numbers.map((number) => this.robot(number));
    const target = this.actor(to);
    const answer = await this.call<BatchTransferBody>(from, [200, 207], 'POST', '/deviceadmin/v1/transfers', {
      body: { deviceIds: robots.map((robot) => robot.deviceId), targetAccountId: target.id },
    });
    check(
      answer.total === robots.length && answer.succeeded === robots.length,
      `${CAST[from].name} transfers ${robots.length} robots to ${target.name} in one batch`,
      answer.results.filter((result) => result.status !== 'transferred'),
    );
    const outcome: TransferOutcome = {
      from,
      to,
      devices: robots.length,
      oldMqttRefused: 0,
      oldDdiRefused: 0,
      newCredentialsWork: 0,
    };
    const progress = this.narrator.progress(`${CAST[from].name} → ${target.name}: credentials rotated`, robots.length);
    await mapLimit(
      robots,
      this.concurrency,
      async (robot) => {
        const result = answer.results.find((item) => item.deviceId === robot.deviceId);
        check(result?.deviceId === robot.deviceId && result.credentials, `${robot.label}'s new credentials`, result);
        const old = robot.credentials as DeviceCredentials;
        robot.adopt(result.credentials);
        this.owners.set(robot.spec.number, to);
        if ((await robot.mqttVerdict(old.mqtt.accessToken)) === 'refused') outcome.oldMqttRefused += 1;
        if ((await robot.ddiStatus(old.ddi.securityToken)) === 401) outcome.oldDdiRefused += 1;
        if ((await robot.mqttVerdict()) === 'accepted' && (await robot.ddiStatus()) === 200)
          outcome.newCredentialsWork += 1;
      },
      () => progress.tick(),
    );
    check(
      outcome.oldMqttRefused === robots.length && outcome.oldDdiRefused === robots.length,
      'every old MQTT token is refused at CONNECT and every old DDI token gets 401',
      outcome,
    );
    check(outcome.newCredentialsWork === robots.length, 'every new MQTT token and DDI token works', outcome);
    progress.done(
      `${robots.length} robots ${CAST[from].name} → ${target.name}: old MQTT tokens refused, old DDI tokens 401, new ones work`,
    );
    return outcome;
  }

  // ── Step 6 ────────────────────────────────────────────────────────────────────────────────

  /** seed 000 "Visibility Rules", row by row, through DeviceAdmin with each actor's own token. */
  async checkVisibility(): Promise<VisibilityRow[]> {
    this.narrator.chapter(6, 'Visibility: who sees which robots');
    const rows: VisibilityRow[] = [];
    for (const { actor: key, sees: expected } of EXPECTED_VISIBILITY) {
      const actor = this.actor(key);
      // The fleet view follows device.transferred events: asked until it has caught up.
      const page = await eventually(
        `${actor.name}'s fleet`,
        async () => {
          const fleet = await this.call<DevicePageBody>(key, 200, 'GET', '/deviceadmin/v1/devices?limit=200');
          return fleet.total === expected ? fleet : undefined;
        },
        { timeoutMs: this.settle },
      );
      const owned = await this.call<{ owned: number; total: number }>(
        key,
        200,
        'GET',
        `/deviceadmin/v1/accounts/${actor.id}/device-count`,
      );
      const mine = this.robots.filter((robot) => this.owns(key, robot.spec.number)).map((robot) => robot.deviceId);
      check(
        page.items.every((device) => mine.includes(device.id)) && page.items.length === mine.length,
        `${actor.name} sees exactly its own and its descendants' robots`,
      );
      rows.push({ actor: key, name: actor.name, owns: owned.owned, sees: page.total, expected });
    }
    // No sibling and no upward visibility: another's robot is "not found", like a missing one.
    const probes: [ActorKey, number][] = [
      ['china', 21],
      ['us', 1],
      ['warehouseA', 51],
      ['warehouseA', 66],
      ['factoryB', 1],
    ];
    for (const [key, number] of probes) {
      const answer = await this.api.call('GET', `/deviceadmin/v1/devices/${this.robot(number).deviceId}`, {
        token: await this.as(key),
      });
      check(
        answer.status === 404,
        `${CAST[key].name} cannot see robot ${number} of ${CAST[this.owners.get(number) ?? 'roboMake'].name}`,
        answer,
      );
    }
    this.narrator.table(this.visibilityTable(rows));
    this.narrator.say('siblings and ancestors: a probe of 5 foreign robots answers 404 each time');
    return rows;
  }

  /** Whether `key` sees robot `number`: it owns it, or owns an ancestor of its owner. */
  private owns(key: ActorKey, number: number): boolean {
    for (let owner: ActorKey | null = this.owners.get(number) ?? null; owner; owner = CAST[owner].parent) {
      if (owner === key) return true;
    }
    return false;
  }

  visibilityTable(rows: VisibilityRow[]): Table {
    return {
      title: 'Visibility (DeviceAdmin, each actor with its own token)',
      headers: ['Actor', 'Owns', 'Sees', 'seed 000'],
      rows: rows.map((row) => [row.name, row.owns, row.sees, row.expected]),
    };
  }

  /** SyriusSoft's developer portal: installs and licenses as aggregates, never a device. */
  async developerMetrics(): Promise<DeveloperMetrics> {
    const metrics = await this.fetchDeveloperMetrics();
    this.narrator.say(
      `SyriusSoft's portal: ${metrics.devicesMatched} devices matched, ${metrics.installs?.successful} installs, ` +
        `${metrics.licenses?.active} active licenses, ${metrics.gets.total} Get(s) — aggregates only, no device id in the answer`,
    );
    return metrics;
  }

  private async fetchDeveloperMetrics(): Promise<DeveloperMetrics> {
    const navSoft = this.need('navSoft');
    const installed = this.count((robot) => robot.software.has('NavSoft'));
    const path = `/marketplace/v1/listings/${navSoft.listingId}/metrics`;
    let text = '';
    const metrics = await eventually(
      'SyriusSoft metrics',
      async () => {
        const answer = await this.api.call<DeveloperMetrics>('GET', path, { token: await this.as('syriusSoft') });
        text = JSON.stringify(answer.body);
        return answer.status === 200 &&
          answer.body.installs?.successful === installed &&
          answer.body.licenses?.active === installed
          ? answer.body
          : undefined;
      },
      { timeoutMs: this.settle },
    );
    const leaked = this.robots.flatMap((robot) =>
      [robot.deviceId, robot.spec.serial, robot.spec.controllerSerial].filter((id) => text.includes(id)),
    );
    check(leaked.length === 0, 'the developer metrics name no device', leaked);
    check(metrics.devicesMatched === installed, 'NavSoft matched every rev ≥ r3 robot', metrics);
    return metrics;
  }

  // ── Step 7 ────────────────────────────────────────────────────────────────────────────────

  /**
   * A robot leaves the org for a standalone end user: RobotOS (device-bound, Got by the maker)
   * still updates; NavSoft 3.1 reaches every robot inside the org but not this one, until its new
   * owner Gets NavSoft itself.
   */
  async leaveTheOrg(): Promise<OutsideOrgOutcome> {
    this.narrator.chapter(7, 'A robot leaves the org: device-bound vs application software');
    await this.createAccount('harbor');
    const leaver = this.robot(LEAVER);
    // Provisioning learns of the new account from org.account.created: until then it is unknown.
    const moved = await eventually(
      'the transfer to Harbor Logistics',
      async () => {
        const answer = await this.call<BatchTransferBody>(
          'singapore',
          [200, 207],
          'POST',
          '/deviceadmin/v1/transfers',
          {
            body: { deviceIds: [leaver.deviceId], targetAccountId: this.actor('harbor').id },
          },
        );
        const result = answer.results[0];
        if (result?.status === 'transferred') return result;
        const code = (result?.error as { code?: string } | undefined)?.code;
        check(code === 'ACCOUNT.NOT_FOUND', 'the transfer waits only for the new account to be known', answer);
        return undefined;
      },
      { timeoutMs: this.settle },
    );
    check(moved.credentials, 'the leaver gets new credentials', moved);
    leaver.adopt(moved.credentials);
    this.owners.set(LEAVER, 'harbor');
    this.narrator.say(`Singapore Distributor sells ${leaver.label} to Harbor Logistics, outside RoboMake's org`);

    await this.release('robotOs', '2.0', 'os');
    // Robots report their state now and then; the first report after a transfer uses the new token.
    await leaver.report({ battery: 80, task: 'idle' });
    await eventually(
      `${leaver.label} installs RobotOS 2.0`,
      async () => {
        await leaver.update();
        return leaver.software.get('RobotOS') === '2.0' ? true : undefined;
      },
      { timeoutMs: this.settle },
    );
    this.narrator.say(
      `${leaver.label} (Harbor Logistics) installs RobotOS 2.0: device-bound software follows the maker's Get`,
    );

    await this.release('navSoft', '3.1', 'application');
    const inside = this.robots.filter((robot) => robot.spec.number !== LEAVER);
    const insideR3 = inside.filter((robot) => robot.spec.revision === 'r3');
    const progress = this.narrator.progress('robots update to RobotOS 2.0 and NavSoft 3.1', inside.length);
    await mapLimit(
      inside,
      this.concurrency,
      async (robot) => {
        const wanted = robot.spec.revision === 'r3' ? '3.1' : undefined;
        await robot.report({ battery: 80, task: 'idle' });
        await eventually(
          `${robot.label} updates`,
          async () => {
            await robot.update();
            return robot.software.get('RobotOS') === '2.0' && robot.software.get('NavSoft') === wanted
              ? true
              : undefined;
          },
          { timeoutMs: this.settle },
        );
      },
      () => progress.tick(),
    );
    const insideOnNavSoft31 = this.count(
      (robot) => robot.spec.number !== LEAVER && robot.software.get('NavSoft') === '3.1',
    );
    progress.done(`NavSoft 3.1 on ${insideOnNavSoft31} robots inside the org; RobotOS 2.0 on ${inside.length}`);

    await leaver.update();
    const navSoftOutsideBeforeGet = leaver.software.get('NavSoft');
    const navSoft = this.need('navSoft');
    const actionsBefore = (await this.actionsOf('harbor', leaver)).filter(
      (action) => action.listingId === navSoft.listingId && action.softwareVersion === '3.1',
    );
    check(actionsBefore.length === 0, `${leaver.label} is not offered NavSoft 3.1 outside the org`, actionsBefore);
    this.narrator.say(
      `${leaver.label} stays on NavSoft ${navSoftOutsideBeforeGet}: Harbor Logistics has not Got NavSoft`,
    );

    const catalog = await this.call<{ items: ListingBody[] }>(
      'harbor',
      200,
      'GET',
      '/marketplace/v1/listings?q=NavSoft',
    );
    check(
      catalog.items.some((item) => item.id === navSoft.listingId),
      'Harbor Logistics finds NavSoft',
      catalog,
    );
    await this.getListing('harbor', navSoft.listingId, 'account');
    this.narrator.say('Harbor Logistics "Get"s NavSoft · scope: this account only');
    await this.installNavSoft(leaver, '3.1');
    const license = await this.licenseOf(leaver, 'navSoft');
    this.narrator.say(
      `${leaver.label} installs NavSoft 3.1; its license (${license.body.status}) moved with it to Harbor Logistics`,
    );
    return {
      robotOsOutside: leaver.software.get('RobotOS'),
      navSoftOutsideBeforeGet,
      navSoftActionsBeforeGet: actionsBefore.length,
      navSoftOutsideAfterGet: leaver.software.get('NavSoft'),
      insideOnNavSoft31,
      insideR3: insideR3.length,
      outsideLicense: license.body.status,
    };
  }

  /** A new version: marketplace version, OTA release, and the policy moved onto it. */
  private async release(software: 'navSoft' | 'robotOs', version: string, type: string): Promise<void> {
    const entry = this.need(software);
    await this.call(entry.publisher, 201, 'POST', `/marketplace/v1/listings/${entry.listingId}/versions`, {
      body: { version, releaseNotes: `${entry.name} ${version}` },
    });
    const set = await this.uploadRelease(entry.publisher, entry.name, version, type);
    await this.call(entry.publisher, 200, 'PATCH', `/ota/v1/policies/${entry.policyId}`, {
      body: { distributionSetId: set },
    });
    this.narrator.say(`${CAST[entry.publisher].name} publishes ${entry.name} ${version} and moves its policy onto it`);
  }

  // ── The end ───────────────────────────────────────────────────────────────────────────────

  /** Installs (what each robot runs, by owner) and licenses (TrustMint, by account) per actor. */
  async summary(visibility: VisibilityRow[]): Promise<Table[]> {
    const owners: ActorKey[] = ['roboMake', 'china', 'japan', 'us', 'singapore', 'warehouseA', 'factoryB', 'harbor'];
    const versions = (key: ActorKey, name: string) => {
      const counts = new Map<string, number>();
      for (const robot of this.robots) {
        if (this.owners.get(robot.spec.number) !== key) continue;
        const version = robot.software.get(name);
        if (version) counts.set(version, (counts.get(version) ?? 0) + 1);
      }
      return [...counts].map(([version, count]) => `${count}× ${version}`).join(', ') || '—';
    };
    const installs: Table = {
      title: 'Installs per actor (robots it owns, as they report over DDI)',
      headers: ['Actor', 'Robots', 'RobotOS', 'NavSoft'],
      rows: owners.map((key) => [
        CAST[key].name,
        this.robots.filter((robot) => this.owners.get(robot.spec.number) === key).length,
        versions(key, 'RobotOS'),
        versions(key, 'NavSoft'),
      ]),
    };
    const navSoft = this.need('navSoft');
    const robotOs = this.need('robotOs');
    const rows: (string | number)[][] = [];
    for (const key of owners) {
      const report = await this.call<{ bySoftware: { softwareId: string; active: number }[] }>(
        'admin',
        200,
        'GET',
        `/entitlements/v1/reports/account-licenses?accountId=${this.actor(key).id}`,
      );
      const active = (listingId: string) =>
        report.bySoftware.find((item) => item.softwareId === listingId)?.active ?? 0;
      rows.push([CAST[key].name, active(robotOs.listingId), active(navSoft.listingId)]);
    }
    const metrics = await this.fetchDeveloperMetrics();
    rows.push([`SyriusSoft (developer portal, aggregate)`, '—', metrics.licenses?.active ?? 0]);
    const licenses: Table = {
      title: 'Active licenses per actor (TrustMint; licenses follow their device)',
      headers: ['Actor', 'RobotOS', 'NavSoft'],
      rows,
    };
    const tables = [this.visibilityTable(visibility), installs, licenses];
    this.narrator.chapter(8, 'Where everything ended up');
    for (const table of tables) this.narrator.table(table);
    return tables;
  }
}
