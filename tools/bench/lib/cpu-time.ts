import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux everywhere we run). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process (all its threads) has used so far; null once it is gone. */
function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start at ") "; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The PostgreSQL server's processes (postmaster and every backend) on this machine. */
export function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

interface Sample {
  at: number;
  seconds: Map<number, number>;
}

/**
 * Samples the CPU time of a set of processes (asked again at every sample: backends come and go)
 * so that the CPU seconds spent in a window another process reports (epoch ms) can be read off.
 */
export class CpuSampler {
  private readonly samples: Sample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: () => number[],
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** CPU seconds the processes used from the last sample at or before `from` to the first at or after `to`. */
  between(from: number, to: number): number {
    const before = [...this.samples].reverse().find((sample) => sample.at <= from) ?? this.samples[0]!;
    const after = this.samples.find((sample) => sample.at >= to) ?? this.samples[this.samples.length - 1]!;
    let total = 0;
    // A process that started inside the window counts from zero.
    for (const [pid, seconds] of after.seconds) total += seconds - (before.seconds.get(pid) ?? 0);
    return total;
  }

  private sample(): void {
    const seconds = new Map<number, number>();
    for (const pid of this.pids()) {
      const used = cpuSecondsOf(pid);
      if (used !== null) seconds.set(pid, used);
    }
    this.samples.push({ at: Date.now(), seconds });
  }
}
