import { boundaryOf, effectivePermissions } from './roles.js';

describe('roles', () => {
  describe('boundaryOf', () => {
    it.each([
      {
        roles: ['DEVICE_MANUFACTURER'] as const,
        expected: ['certificates.read', 'devices.read', 'devices.write', 'events.read'],
      },
      {
        roles: ['LICENSE_MANAGER'] as const,
        expected: ['approvals.read', 'approvals.write', 'devices.read', 'licenses.read'],
      },
      {
        roles: ['DEVICE_MANUFACTURER', 'LICENSE_MANAGER'] as const,
        expected: [
          'approvals.read',
          'approvals.write',
          'certificates.read',
          'devices.read',
          'devices.write',
          'events.read',
          'licenses.read',
        ],
      },
      { roles: [] as const, expected: [] },
    ])('should assign seed 001 boundary $expected to $roles', ({ roles, expected }) => {
      expect(boundaryOf(roles)).toEqual(expected);
    });
  });

  describe('effectivePermissions', () => {
    it('should keep only what both the boundary and the token hold', () => {
      const effective = effectivePermissions(
        ['devices.read', 'devices.write'],
        new Set(['devices.read', 'approvals.write', 'platform.whatever']),
      );
      expect([...effective]).toEqual(['devices.read']);
    });
  });
});
