import { decisionEffect, routeFor } from './upgrade-request.js';

describe('routeFor', () => {
  it.each([
    { partner: true, categories: ['device_bound'], expected: 'WEBHOOK' },
    { partner: false, categories: ['device_bound', 'firmware'], expected: 'AUTO_APPROVE' },
    { partner: false, categories: ['application', 'saas_applet'], expected: 'ADMIN_REVIEW' },
    { partner: false, categories: [], expected: 'ADMIN_REVIEW' },
  ])('should route to $expected (partner: $partner, categories: $categories)', ({ partner, categories, expected }) => {
    expect(
      routeFor({ partnerSubscribed: partner, triageCategories: categories, autoApproveCategories: ['device_bound'] }),
    ).toBe(expected);
  });
});

describe('decisionEffect', () => {
  it.each([
    { status: 'PENDING' as const, decision: 'APPROVE' as const, expected: 'apply' },
    { status: 'PENDING' as const, decision: 'REFUSE' as const, expected: 'apply' },
    { status: 'APPROVED' as const, decision: 'APPROVE' as const, expected: 'repeat' },
    { status: 'REFUSED' as const, decision: 'REFUSE' as const, expected: 'repeat' },
    { status: 'APPROVED' as const, decision: 'REFUSE' as const, expected: 'conflict' },
    { status: 'REFUSED' as const, decision: 'APPROVE' as const, expected: 'conflict' },
  ])('should $expected $decision on a $status request', ({ status, decision, expected }) => {
    expect(decisionEffect(status, decision)).toBe(expected);
  });
});
