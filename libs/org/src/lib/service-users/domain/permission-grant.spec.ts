import { PLATFORM_ADMIN_PERMISSION } from '@flexgalaxy/auth';
import { notGrantable } from './permission-grant.js';

const account = { permissions: new Set(['devices.read', 'devices.write', 'accounts.read']), isPlatformAdmin: false };
const admin = { permissions: new Set([PLATFORM_ADMIN_PERMISSION]), isPlatformAdmin: true };

describe('notGrantable', () => {
  it.each([
    { grantor: 'an account', who: account, requested: ['devices.read'], refused: [] },
    { grantor: 'an account', who: account, requested: ['devices.read', 'devices.write'], refused: [] },
    { grantor: 'an account', who: account, requested: ['licenses.read'], refused: ['licenses.read'] },
    {
      grantor: 'an account',
      who: account,
      requested: ['devices.read', 'approvals.write'],
      refused: ['approvals.write'],
    },
    {
      grantor: 'an account',
      who: account,
      requested: [PLATFORM_ADMIN_PERMISSION],
      refused: [PLATFORM_ADMIN_PERMISSION],
    },
    { grantor: 'a platform admin', who: admin, requested: ['licenses.read', 'devices.write'], refused: [] },
    {
      grantor: 'a platform admin',
      who: admin,
      requested: [PLATFORM_ADMIN_PERMISSION],
      refused: [PLATFORM_ADMIN_PERMISSION],
    },
    { grantor: 'an account', who: account, requested: [], refused: [] },
  ])('should refuse $refused when $grantor grants $requested', ({ who, requested, refused }) => {
    expect(notGrantable(requested, who)).toEqual(refused);
  });
});
