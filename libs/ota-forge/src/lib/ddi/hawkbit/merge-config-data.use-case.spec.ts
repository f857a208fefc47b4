import type { TargetAttributes } from '../../targets/domain/target.js';
import { attributesFromConfigData } from './merge-config-data.use-case.js';

interface Row {
  mode: 'merge' | 'replace' | 'remove';
  data: Record<string, string>;
  expected: Partial<TargetAttributes>;
}

describe(attributesFromConfigData.name, () => {
  it.each<Row>([
    { mode: 'merge', data: { firmware_version: '2.0.0', hw: 'b' }, expected: { firmwareVersion: '2.0.0' } },
    { mode: 'replace', data: { revision: 'r7' }, expected: { revision: 'r7' } },
    {
      mode: 'merge',
      data: { capabilities: 'navigation, lift,' },
      expected: { capabilities: ['navigation', 'lift'] },
    },
    { mode: 'remove', data: { firmware_version: '2.0.0' }, expected: {} },
    { mode: 'merge', data: { firmware_version: '' }, expected: {} },
  ])('should take $expected from a $mode of $data', ({ mode, data, expected }) => {
    expect(attributesFromConfigData(mode, data)).toEqual(expected);
  });
});
