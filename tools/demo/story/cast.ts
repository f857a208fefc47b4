/**
 * seed 000's cast and numbers: who the accounts are, which robot goes where, and what each actor
 * must see at the end. The story and its test both read them from here.
 */

export type ActorKey =
  'syriusSoft' | 'roboMake' | 'china' | 'japan' | 'us' | 'singapore' | 'warehouseA' | 'factoryB' | 'harbor';

export type AccountKind = 'developer' | 'maker' | 'member' | 'end_user';

export interface ActorSpec {
  key: ActorKey;
  name: string;
  kind: AccountKind;
  /** Who creates it as a child; top-level accounts are created by the platform admin. */
  parent: ActorKey | null;
  /** What its service user may do (granted by the platform admin, AdminCenter "Service Users"). */
  permissions: string[];
}

const DEVICE_OWNER = ['accounts.read', 'devices.read', 'devices.write', 'ota.read'];

export const CAST: Record<ActorKey, ActorSpec> = {
  syriusSoft: {
    key: 'syriusSoft',
    name: 'SyriusSoft',
    kind: 'developer',
    parent: null,
    permissions: ['marketplace.listings.write', 'marketplace.metrics.read', 'ota.read', 'ota.write'],
  },
  roboMake: {
    key: 'roboMake',
    name: 'RoboMake',
    kind: 'maker',
    parent: null,
    permissions: [
      ...DEVICE_OWNER,
      'accounts.write',
      'manufacturer-cas.write',
      'marketplace.get',
      'marketplace.get.org',
      'marketplace.listings.write',
      'ota.write',
    ],
  },
  china: { key: 'china', name: 'China Distributor', kind: 'member', parent: 'roboMake', permissions: DEVICE_OWNER },
  japan: {
    key: 'japan',
    name: 'Japan Distributor',
    kind: 'member',
    parent: 'roboMake',
    permissions: [...DEVICE_OWNER, 'accounts.write'],
  },
  us: { key: 'us', name: 'US Distributor', kind: 'member', parent: 'roboMake', permissions: DEVICE_OWNER },
  singapore: {
    key: 'singapore',
    name: 'Singapore Distributor',
    kind: 'member',
    parent: 'roboMake',
    permissions: DEVICE_OWNER,
  },
  warehouseA: { key: 'warehouseA', name: 'Warehouse A', kind: 'end_user', parent: 'japan', permissions: DEVICE_OWNER },
  factoryB: { key: 'factoryB', name: 'Factory B', kind: 'end_user', parent: 'japan', permissions: DEVICE_OWNER },
  /** A standalone end user outside RoboMake's org (step 7). */
  harbor: {
    key: 'harbor',
    name: 'Harbor Logistics',
    kind: 'end_user',
    parent: null,
    permissions: [...DEVICE_OWNER, 'marketplace.get'],
  },
};

/** Accounts step 1 creates, parents first (Harbor Logistics arrives in step 7). */
export const ORG_ACTORS: ActorKey[] = [
  'syriusSoft',
  'roboMake',
  'china',
  'japan',
  'us',
  'singapore',
  'warehouseA',
  'factoryB',
];

export const ROBOT_COUNT = 100;

/** Robot numbers (1-based, inclusive) RoboMake transfers to each distributor. */
export const TO_DISTRIBUTORS: { to: ActorKey; from: number; through: number }[] = [
  { to: 'china', from: 1, through: 20 },
  { to: 'japan', from: 21, through: 80 },
  { to: 'us', from: 81, through: 95 },
  { to: 'singapore', from: 96, through: 100 },
];

/** What the Japan Distributor sells on, one batch each (seed 000 "Transfer Sequence"). */
export const TO_JAPAN_CUSTOMERS: { to: ActorKey; from: number; through: number }[] = [
  { to: 'warehouseA', from: 21, through: 50 },
  { to: 'factoryB', from: 51, through: 65 },
];

/** Hardware revision r2: NavSoft's "rev ≥ r3" must not match them. One per customer group or so. */
export const REVISION_R2 = new Set([7, 42, 77, 99]);

/** Assembled with the time zone of a site where it is midday: outside the 00:00–06:00 window. */
export const DAYTIME_SITES = new Set([13, 58]);

/** Busy with a task when NavSoft arrives (battery full): deferred for "not executing a task". */
export const isBusy = (robot: number) => robot % 5 === 0;

/** The robot the Singapore Distributor sells outside the org (step 7). */
export const LEAVER = 97;

/** seed 000 "Visibility Rules", the table's Count column. */
export const EXPECTED_VISIBILITY: { actor: ActorKey; sees: number }[] = [
  { actor: 'roboMake', sees: 100 },
  { actor: 'china', sees: 20 },
  { actor: 'japan', sees: 60 },
  { actor: 'us', sees: 15 },
  { actor: 'singapore', sees: 5 },
  { actor: 'warehouseA', sees: 30 },
  { actor: 'factoryB', sees: 15 },
];

export function robotNumbers(range: { from: number; through: number }): number[] {
  return Array.from({ length: range.through - range.from + 1 }, (_, index) => range.from + index);
}

/**
 * An IANA zone whose local hour is `hour` at `now`. The maintenance window is seed 000's literal
 * 00:00–06:00 local time; the story stays deterministic by giving robots fixed-offset zones
 * (Etc/GMT±N, whose sign is POSIX's: Etc/GMT-9 is UTC+9) chosen from the clock at start.
 */
export function zoneWhereLocalHourIs(hour: number, now: Date): string {
  let offset = (hour - now.getUTCHours() + 24) % 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

export function localTime(zone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(now);
}
