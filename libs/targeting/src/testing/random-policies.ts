// Seeded generators of targets and expressions for the targeting suites (not exported by the lib).
import type { ComparisonOperator, Literal, PolicyExpression } from '../ast.js';
import { ATTRIBUTE_KINDS, ATTRIBUTES, type Attribute, type TargetAttributes } from '../vocabulary.js';

export type Random = () => number;

/** mulberry32: small, fast and reproducible from its seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)];

const REVISIONS = Array.from({ length: 12 }, (_, index) => `r${index + 1}`);

/** Values per attribute: mixed casing, natural-order traps (r3/r10, 3.9/3.10), numbers. */
const VALUES: Record<Attribute, readonly string[]> = {
  type: ['amr', 'AMR', 'agv', 'arm', 'Amr'],
  model: ['X1', 'x1', 'X2', 'X10', 'Y1'],
  revision: [...REVISIONS, 'R3', 'r03', 'r3a', '3'],
  manufacturer: ['RoboMake', 'robomake', 'ACME', 'Acme Robotics'],
  serial: [
    'AMR-X1-001',
    'AMR-X1-042',
    'AMR-X1-100',
    'amr-x1-0042',
    'SN9',
    'SN10',
    'AMR X1 7',
    'amr_x1_7',
    'Émile-1',
    '~7',
  ],
  firmware_version: ['3.9', '3.10', '3.10.1', '1.0', '1.0.1', 'v2.0.1', 'v2.0.10', '10'],
  software_version: ['3.0', '3.0.1', '2.9', '3.10', 'v3', '3'],
  capabilities: ['navigation', 'lidar', 'arm', 'camera', 'Navigation'],
  account: ['acc-robomake', 'acc-japan', 'acc-warehouse-a', 'acc-factory-b'],
  org: ['org-robomake', 'org-syrius'],
  timezone: ['Asia/Tokyo', 'UTC', 'America/New_York'],
};

const NUMERIC = /^[0-9]+(\.[0-9]+)?$/;

export function randomTarget(random: Random): TargetAttributes {
  const scalar = (attribute: Attribute, nullRate: number) =>
    random() < nullRate ? null : pick(random, VALUES[attribute]);
  return {
    type: scalar('type', 0.1),
    model: scalar('model', 0.1),
    revision: scalar('revision', 0.15),
    manufacturer: scalar('manufacturer', 0.1),
    serial: scalar('serial', 0.1),
    firmware_version: scalar('firmware_version', 0.15),
    software_version: scalar('software_version', 0.5),
    capabilities: random() < 0.15 ? null : VALUES.capabilities.filter(() => random() < 0.35),
    account: scalar('account', 0.05),
    org: scalar('org', 0.2),
    timezone: scalar('timezone', 0.2),
  };
}

function randomLiteral(random: Random, attribute: Attribute): Literal {
  const value = pick(random, VALUES[attribute]);
  return { kind: NUMERIC.test(value) && random() < 0.5 ? 'number' : 'string', value };
}

function randomLeaf(random: Random): PolicyExpression {
  const attribute = pick(random, ATTRIBUTES);
  if (random() < 0.3) {
    const count = 1 + Math.floor(random() * 3);
    const values = Array.from({ length: count }, () => randomLiteral(random, attribute));
    return { kind: 'membership', attribute, negated: random() < 0.4, values };
  }
  const operators: ComparisonOperator[] =
    ATTRIBUTE_KINDS[attribute] === 'ordered' ? ['=', '!=', '<', '<=', '>', '>=', '>=', '<'] : ['=', '=', '!='];
  return { kind: 'comparison', attribute, operator: pick(random, operators), value: randomLiteral(random, attribute) };
}

/** A random tree of AND / OR / NOT over comparisons and (NOT) IN lists. */
export function randomExpression(random: Random, depth = 3): PolicyExpression {
  const roll = random();
  if (depth === 0 || roll < 0.3) return randomLeaf(random);
  if (roll < 0.45) return { kind: 'not', operand: randomExpression(random, depth - 1) };
  const count = 2 + Math.floor(random() * 2);
  return {
    kind: roll < 0.75 ? 'and' : 'or',
    operands: Array.from({ length: count }, () => randomExpression(random, depth - 1)),
  };
}
