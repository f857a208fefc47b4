import { jest } from '@jest/globals';
import { checkRuntime, evaluateConstraints, runtimeStateOf, type RolloutConstraints } from './constraints.js';
import { isWithinWindow, secondsUntilWindowOpens } from './maintenance-window.js';
import { decideRetry } from './retry.js';
import { decideWave, isValidWavePlan, waveOfRank } from './waves.js';

const NONE: RolloutConstraints = { minBattery: null, requireIdle: false, maintenanceWindow: null };
const NIGHT = { start: '00:00', end: '06:00' };
const ACROSS_MIDNIGHT = { start: '22:00', end: '04:00' };

describe('rollout constraints (seed 000 §2)', () => {
  afterEach(() => jest.useRealTimers());

  describe('isWithinWindow', () => {
    it.each([
      // 00:00–06:00 local
      { utc: '2026-11-23T00:00:00Z', tz: 'UTC', window: NIGHT, inside: true },
      { utc: '2026-11-23T05:59:59Z', tz: 'UTC', window: NIGHT, inside: true },
      { utc: '2026-11-23T06:00:00Z', tz: 'UTC', window: NIGHT, inside: false },
      { utc: '2026-11-23T12:00:00Z', tz: 'UTC', window: NIGHT, inside: false },
      // Tokyo is UTC+9: 16:00Z is 01:00 there, 22:00Z is 07:00 there.
      { utc: '2026-11-23T16:00:00Z', tz: 'Asia/Tokyo', window: NIGHT, inside: true },
      { utc: '2026-11-23T22:00:00Z', tz: 'Asia/Tokyo', window: NIGHT, inside: false },
      // New York in November is UTC-5: 07:00Z is 02:00 there.
      { utc: '2026-11-23T07:00:00Z', tz: 'America/New_York', window: NIGHT, inside: true },
      { utc: '2026-11-23T12:00:00Z', tz: 'America/New_York', window: NIGHT, inside: false },
      // 22:00–04:00 crosses midnight.
      { utc: '2026-11-23T23:30:00Z', tz: 'UTC', window: ACROSS_MIDNIGHT, inside: true },
      { utc: '2026-11-23T02:00:00Z', tz: 'UTC', window: ACROSS_MIDNIGHT, inside: true },
      { utc: '2026-11-23T04:00:00Z', tz: 'UTC', window: ACROSS_MIDNIGHT, inside: false },
      { utc: '2026-11-23T21:59:00Z', tz: 'UTC', window: ACROSS_MIDNIGHT, inside: false },
      // Kolkata is UTC+5:30: 17:00Z is 22:30 there.
      { utc: '2026-11-23T17:00:00Z', tz: 'Asia/Kolkata', window: ACROSS_MIDNIGHT, inside: true },
      { utc: '2026-11-23T16:00:00Z', tz: 'Asia/Kolkata', window: ACROSS_MIDNIGHT, inside: false },
    ])('should say $inside at $utc in $tz for $window.start–$window.end', ({ utc, tz, window, inside }) => {
      jest.useFakeTimers({ now: new Date(utc) });
      expect(isWithinWindow(window, new Date(), tz)).toBe(inside);
    });

    it.each([
      { utc: '2026-11-23T12:00:00Z', tz: 'UTC', window: NIGHT, seconds: 12 * 3600 },
      { utc: '2026-11-23T21:00:00Z', tz: 'UTC', window: ACROSS_MIDNIGHT, seconds: 3600 },
      { utc: '2026-11-23T02:00:00Z', tz: 'UTC', window: NIGHT, seconds: 0 },
      // 14:00Z = 23:00 Tokyo: one hour to local midnight.
      { utc: '2026-11-23T14:00:00Z', tz: 'Asia/Tokyo', window: NIGHT, seconds: 3600 },
    ])('should count $seconds s until the window opens at $utc in $tz', ({ utc, tz, window, seconds }) => {
      expect(secondsUntilWindowOpens(window, new Date(utc), tz)).toBe(seconds);
    });
  });

  describe('evaluateConstraints', () => {
    it.each([
      { name: 'no constraints', constraints: NONE, state: { battery: null, task: null }, reason: null },
      {
        name: 'battery above',
        constraints: { ...NONE, minBattery: 50 },
        state: { battery: 51, task: null },
        reason: null,
      },
      {
        name: 'battery at threshold',
        constraints: { ...NONE, minBattery: 50 },
        state: { battery: 50, task: null },
        reason: 'battery_low',
      },
      {
        name: 'battery below',
        constraints: { ...NONE, minBattery: 50 },
        state: { battery: 12, task: 'idle' },
        reason: 'battery_low',
      },
      {
        name: 'battery never reported',
        constraints: { ...NONE, minBattery: 50 },
        state: { battery: null, task: null },
        reason: 'battery_unknown',
      },
      {
        name: 'executing a task',
        constraints: { ...NONE, requireIdle: true },
        state: { battery: 90, task: 'executing' },
        reason: 'executing_task',
      },
      { name: 'idle', constraints: { ...NONE, requireIdle: true }, state: { battery: 90, task: 'idle' }, reason: null },
      {
        name: 'task never reported',
        constraints: { ...NONE, requireIdle: true },
        state: { battery: 90, task: null },
        reason: null,
      },
      {
        name: 'outside the window (checked first)',
        constraints: { minBattery: 50, requireIdle: true, maintenanceWindow: NIGHT },
        state: { battery: 5, task: 'executing' },
        reason: 'outside_maintenance_window',
      },
    ])('should defer with $reason for $name', ({ constraints, state, reason }) => {
      jest.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z') });
      expect(evaluateConstraints(constraints, state, new Date(), 'UTC')?.reason ?? null).toBe(reason);
    });

    it('should read battery and task from telemetry values of any JSON type', () => {
      expect(runtimeStateOf({ battery: { value: '77' }, task: { value: 'executing' } })).toEqual({
        battery: 77,
        task: 'executing',
      });
      expect(runtimeStateOf({ battery: { value: { nested: 1 } } })).toEqual({ battery: null, task: null });
      expect(checkRuntime({ ...NONE, minBattery: 20 }, runtimeStateOf({ battery: { value: 21 } }))).toBeNull();
    });
  });

  describe('waves', () => {
    it.each([
      { rank: 1, total: 10, plan: [10, 50, 100], wave: 0 },
      { rank: 2, total: 10, plan: [10, 50, 100], wave: 1 },
      { rank: 5, total: 10, plan: [10, 50, 100], wave: 1 },
      { rank: 6, total: 10, plan: [10, 50, 100], wave: 2 },
      { rank: 10, total: 10, plan: [10, 50, 100], wave: 2 },
      { rank: 1, total: 3, plan: [10, 50, 100], wave: 0 },
      { rank: 3, total: 3, plan: [10, 50, 100], wave: 2 },
      { rank: 7, total: 7, plan: [], wave: 0 },
    ])('should put rank $rank of $total in wave $wave of $plan', ({ rank, total, plan, wave }) => {
      expect(waveOfRank(rank, total, plan)).toBe(wave);
    });

    const plan = { percentages: [20, 100], successThreshold: 80, errorThreshold: 50 };
    it.each([
      { progress: { total: 4, succeeded: 4, failed: 0 }, decision: 'advance' },
      { progress: { total: 5, succeeded: 4, failed: 1 }, decision: 'advance' },
      { progress: { total: 4, succeeded: 3, failed: 0 }, decision: 'hold' },
      { progress: { total: 4, succeeded: 1, failed: 2 }, decision: 'abort' },
      { progress: { total: 0, succeeded: 0, failed: 0 }, decision: 'advance' },
    ])('should $decision a wave at $progress', ({ progress, decision }) => {
      expect(decideWave(progress, plan)).toBe(decision);
    });

    it.each([
      { percentages: [10, 50, 100], valid: true },
      { percentages: [100], valid: true },
      { percentages: [50, 50, 100], valid: false },
      { percentages: [10, 60], valid: false },
      { percentages: [0, 100], valid: false },
    ])('should judge $percentages valid: $valid', ({ percentages, valid }) => {
      expect(isValidWavePlan(percentages)).toBe(valid);
    });
  });

  describe('decideRetry', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    it.each([
      { policy: { maxAttempts: 1, backoffSeconds: 60, backoffMultiplier: 2 }, failed: 1, retry: false, waitS: 0 },
      { policy: { maxAttempts: 3, backoffSeconds: 60, backoffMultiplier: 2 }, failed: 1, retry: true, waitS: 60 },
      { policy: { maxAttempts: 3, backoffSeconds: 60, backoffMultiplier: 2 }, failed: 2, retry: true, waitS: 120 },
      { policy: { maxAttempts: 3, backoffSeconds: 60, backoffMultiplier: 2 }, failed: 3, retry: false, waitS: 0 },
      { policy: { maxAttempts: 5, backoffSeconds: 0, backoffMultiplier: 3 }, failed: 4, retry: true, waitS: 0 },
      {
        policy: { maxAttempts: 20, backoffSeconds: 86400, backoffMultiplier: 10 },
        failed: 5,
        retry: true,
        waitS: 604800,
      },
    ])('should retry=$retry after attempt $failed, waiting $waitS s', ({ policy, failed, retry, waitS }) => {
      const decision = decideRetry(policy, failed, now);
      expect(decision.retry).toBe(retry);
      if (decision.retry) {
        expect(decision.attempt).toBe(failed + 1);
        expect((decision.notBefore.getTime() - now.getTime()) / 1000).toBe(waitS);
      }
    });
  });
});
