import { compile } from './predicate.js';
import type { TargetAttributes } from './vocabulary.js';

const robot: TargetAttributes = {
  type: 'amr',
  model: 'X1',
  revision: 'r10',
  manufacturer: 'RoboMake',
  serial: 'AMR-X1-042',
  firmware_version: '3.10',
  software_version: null,
  capabilities: ['navigation', 'lidar'],
  account: 'acc-japan',
  org: 'org-robomake',
  timezone: 'Asia/Tokyo',
};

const bare: TargetAttributes = {};

describe(compile.name, () => {
  it.each([
    // seed 000 §2
    ['type = "amr" AND model = "X1" AND revision >= "r3"', true],
    ['type = "amr" AND model = "X1" AND revision >= "r11"', false],
    // case rules: type, model, manufacturer fold; the rest are exact
    ['type = "AMR" AND model = "x1" AND manufacturer = "robomake"', true],
    ['type != "Amr"', false],
    ['type IN ("AGV", "AMR")', true],
    ['model NOT IN ("x1")', false],
    ['revision = "R10"', false],
    ['revision = "r10"', true],
    ['serial = "amr-x1-042"', false],
    ['account = "ACC-JAPAN"', false],
    ['timezone = "Asia/Tokyo"', true],
    // natural order, case-insensitive
    ['revision > "r9"', true],
    ['revision > "R9"', true],
    ['revision <= "r010"', true],
    ['revision < "r10"', false],
    ['firmware_version > "3.9"', true],
    ['firmware_version > 3.9', true],
    ['firmware_version >= 3.10 AND firmware_version < "3.10.1"', true],
    ['firmware_version = 3.10', true],
    ['firmware_version = 3.1', false],
    ['serial >= "AMR-X1-9" AND serial < "amr-x1-100"', true],
    // lists: = contains, != does not contain, IN contains any, NOT IN contains none
    ['capabilities = "navigation"', true],
    ['capabilities = "Navigation"', false],
    ['capabilities != "camera"', true],
    ['capabilities != "lidar"', false],
    ['capabilities IN ("camera", "lidar")', true],
    ['capabilities IN ("camera", "arm")', false],
    ['capabilities NOT IN ("camera", "arm")', true],
    ['capabilities NOT IN ("camera", "lidar")', false],
    // logic
    ['NOT type = "agv"', true],
    ['type = "agv" OR model = "X1" AND revision >= "r3"', true],
    ['(type = "agv" OR model = "X1") AND revision >= "r11"', false],
    ['NOT (type = "agv" OR model = "X2")', true],
    ['NOT NOT type = "amr"', true],
    ['org = "org-robomake" AND NOT account IN ("acc-china", "acc-us")', true],
  ])('should evaluate %s on an AMR-X1 r10 as %s', (expression, expected) => {
    expect(compile(expression)(robot)).toBe(expected);
  });

  it.each([
    ['software_version = "3.0"', false],
    ['software_version != "3.0"', false],
    ['software_version < "3.0"', false],
    ['software_version >= "0"', false],
    ['software_version IN ("3.0")', false],
    ['software_version NOT IN ("3.0")', false],
    ['NOT software_version >= "3.0"', true],
    ['NOT software_version != "3.0"', true],
    ['software_version < "3.0" OR NOT software_version >= "0"', true],
  ])('should treat the absent software_version as unknown: %s is %s', (expression, expected) => {
    expect(compile(expression)(robot)).toBe(expected);
  });

  it.each([
    ['capabilities = "lidar"', false],
    ['capabilities != "lidar"', false],
    ['capabilities IN ("lidar")', false],
    ['capabilities NOT IN ("lidar")', false],
    ['NOT capabilities IN ("lidar")', true],
    ['type != "agv"', false],
    ['type != "agv" OR revision < "r1"', false],
    ['NOT type = "agv"', true],
  ])('should find %s %s on a target without attributes', (expression, expected) => {
    expect(compile(expression)(bare)).toBe(expected);
  });

  it.each([
    ['capabilities = "lidar"', false],
    ['capabilities != "lidar"', true],
    ['capabilities IN ("lidar", "arm")', false],
    ['capabilities NOT IN ("lidar", "arm")', true],
  ])('should treat an empty capability list as known: %s is %s', (expression, expected) => {
    expect(compile(expression)({ capabilities: [] })).toBe(expected);
  });

  it('should accept a parsed expression as well as its text', () => {
    const predicate = compile('type = "amr"');
    expect(predicate({ type: 'AMR' })).toBe(true);
    expect(predicate({ type: 'agv' })).toBe(false);
  });
});
