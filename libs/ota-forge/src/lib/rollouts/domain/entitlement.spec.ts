import { grantCoversVersion, isEntitled, majorOf, type Grant, type TargetOwnership } from './entitlement.js';
import { announcedStatus, stateAfterFeedback } from './feedback.js';

const grant = (overrides: Partial<Grant>): Grant => ({
  listingId: 'navsoft',
  granteeAccountId: 'robomake',
  scope: 'account',
  orgRootAccountId: 'robomake',
  versionScoping: 'all',
  grantedVersion: '3.0',
  ...overrides,
});

const device = (overrides: Partial<TargetOwnership> = {}): TargetOwnership => ({
  accountId: 'robomake',
  orgRootId: 'robomake',
  makerAccountId: 'robomake',
  makerOrgRootId: 'robomake',
  ...overrides,
});

describe('entitlement (seed 000 §3)', () => {
  it.each([
    { scoping: 'all', granted: '3.0', version: '4.2', covered: true },
    { scoping: 'major', granted: '3.0', version: '3.9.1', covered: true },
    { scoping: 'major', granted: 'v3.0', version: '3.1', covered: true },
    { scoping: 'major', granted: '3.0', version: '4.0', covered: false },
    { scoping: 'exact', granted: '3.0', version: '3.0', covered: true },
    { scoping: 'exact', granted: '3.0', version: '3.0.1', covered: false },
  ] as const)('should cover $version with $scoping of $granted: $covered', ({ scoping, granted, version, covered }) => {
    expect(grantCoversVersion({ versionScoping: scoping, grantedVersion: granted }, version)).toBe(covered);
  });

  it('should read the major of a version', () => {
    expect(majorOf('v03.2')).toBe('3');
    expect(majorOf('beta')).toBe('beta');
  });

  const app = {
    policyOwnerAccountId: 'syriussoft',
    listingId: 'navsoft',
    category: 'application' as const,
    version: '3.0',
  };
  const os = { ...app, category: 'device_bound' as const };
  const outsider = device({ accountId: 'warehouse-x', orgRootId: 'warehouse-x' });
  const japan = device({ accountId: 'japan' });

  it.each([
    {
      case: 'own device, no grant',
      subject: { ...app, policyOwnerAccountId: 'robomake' },
      target: device(),
      grants: [],
      ok: true,
    },
    { case: 'no grant', subject: app, target: device(), grants: [], ok: false },
    { case: 'no listing', subject: { ...app, listingId: null }, target: device(), grants: [grant({})], ok: false },
    { case: 'account grant to owner', subject: app, target: device(), grants: [grant({})], ok: true },
    { case: 'account grant, moved to member', subject: app, target: japan, grants: [grant({})], ok: false },
    { case: 'org grant, moved to member', subject: app, target: japan, grants: [grant({ scope: 'org' })], ok: true },
    { case: 'org grant, sold outside', subject: app, target: outsider, grants: [grant({ scope: 'org' })], ok: false },
    {
      case: 'outsider got it',
      subject: app,
      target: outsider,
      grants: [grant({ scope: 'org' }), grant({ granteeAccountId: 'warehouse-x' })],
      ok: true,
    },
    { case: 'device-bound, sold outside', subject: os, target: outsider, grants: [grant({ scope: 'org' })], ok: true },
    { case: 'other listing', subject: app, target: device(), grants: [grant({ listingId: 'other' })], ok: false },
    {
      case: 'exact grant, newer version',
      subject: { ...app, version: '3.1' },
      target: device(),
      grants: [grant({ versionScoping: 'exact' })],
      ok: false,
    },
  ])('should answer $ok for $case', ({ subject, target, grants, ok }) => {
    expect(isEntitled(subject, target, grants)).toBe(ok);
  });
});

describe('DDI feedback mapping (hawkBit)', () => {
  it.each([
    { from: 'retrieved', execution: 'proceeding', finished: 'none', next: 'running', event: null },
    { from: 'retrieved', execution: 'download', finished: 'none', next: 'downloading', event: 'downloading' },
    { from: 'downloading', execution: 'downloaded', finished: 'none', next: 'downloaded', event: 'downloaded' },
    { from: 'downloaded', execution: 'proceeding', finished: 'none', next: 'downloaded', event: null },
    { from: 'running', execution: 'closed', finished: 'success', next: 'finished', event: 'installed' },
    { from: 'running', execution: 'closed', finished: 'none', next: 'finished', event: 'installed' },
    { from: 'running', execution: 'closed', finished: 'failure', next: 'failed', event: 'failed' },
    { from: 'running', execution: 'rejected', finished: 'none', next: 'running', event: null },
    { from: 'running', execution: 'canceled', finished: 'none', next: 'canceled', event: null },
    { from: 'retrieved', execution: 'resumed', finished: 'none', next: 'running', event: null },
  ] as const)('should move $from on $execution/$finished to $next', ({ from, execution, finished, next, event }) => {
    const result = stateAfterFeedback(from, execution, finished);
    expect(result.next).toBe(next);
    expect(announcedStatus(from, result.next)).toBe(event);
  });
});
