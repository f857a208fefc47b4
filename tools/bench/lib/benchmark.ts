import type { Figure } from './figures.js';
import type { PlatformUnderTest } from './platform.js';

export interface BenchContext {
  smoke: boolean;
  /** Progress lines (stderr, so the table stays clean on stdout). */
  log(line: string): void;
  /** Picks the smoke or the full size. */
  size<T>(smoke: T, full: T): T;
  /**
   * An embedded platform on a fresh database (full mode), or in smoke mode the one platform every
   * benchmark shares (starting a platform takes longer than a smoke benchmark). Always `release()` it.
   */
  platform(): Promise<PlatformUnderTest & { release(): Promise<void> }>;
}

export interface Benchmark {
  name: string;
  description: string;
  /** Upper bound of one run; the runner abandons the benchmark after it. */
  timeoutMs(smoke: boolean): number;
  run(context: BenchContext): Promise<Figure[]>;
}
