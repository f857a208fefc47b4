import type { Benchmark } from '../lib/benchmark.js';
import { batchTransfer } from './batch-transfer.js';
import { ddiPolls } from './ddi-polls.js';
import { enrollToDdi } from './enroll-to-ddi.js';
import { enrollments } from './enrollments.js';
import { matchOne } from './match-one.js';
import { mqttTelemetry } from './mqtt-telemetry.js';
import { rolloutPace } from './rollout-pace.js';
import { scaling } from './scaling.js';

/** In the order `npm run bench` runs them. */
export const BENCHMARKS: Benchmark[] = [
  ddiPolls,
  enrollments,
  enrollToDdi,
  matchOne,
  scaling,
  mqttTelemetry,
  rolloutPace,
  batchTransfer,
];
