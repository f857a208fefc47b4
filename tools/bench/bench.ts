/**
 * `npm run bench` — the platform's hot paths measured side by side with what users would pick
 * instead, each comparison measured in the same run (issue #10).
 *
 *   npm run bench                   every benchmark, full sizes
 *   npm run bench -- ddi-polls      one (or several) by name
 *   npm run bench -- --smoke        tiny sizes, seconds each (CI)
 *   npm run bench -- --list
 *   options: --out <dir> (default bench-results)
 */
import { parseArgs } from 'node:util';
import { BENCHMARKS } from './benchmarks/index.js';
import type { BenchContext } from './lib/benchmark.js';
import type { Figure } from './lib/figures.js';
import { startEmbeddedPlatform, type PlatformUnderTest } from './lib/platform.js';
import { gitSha, machine, printTable, writeResults, type BenchRun } from './lib/results.js';

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function runOf(startedAt: Date, finishedAt: Date, smoke: boolean, names: string[], figures: Figure[]): BenchRun {
  return {
    date: startedAt.toISOString().slice(0, 10),
    mode: smoke ? 'smoke' : 'full',
    machine: machine(),
    gitSha: gitSha(),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    benchmarks: names,
    figures,
  };
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-results' },
      list: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.list) {
    for (const benchmark of BENCHMARKS) console.log(`${benchmark.name.padEnd(18)} ${benchmark.description}`);
    return 0;
  }
  const unknown = positionals.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; --list shows them`);
    return 2;
  }
  const selected = positionals.length === 0 ? BENCHMARKS : BENCHMARKS.filter((b) => positionals.includes(b.name));
  const smoke = values.smoke;
  const startedAt = new Date();
  const figures: Figure[] = [];
  let shared: Promise<PlatformUnderTest> | null = null;
  const platform: BenchContext['platform'] = async () => {
    if (!smoke) {
      const fresh = await startEmbeddedPlatform();
      return { ...fresh, release: () => fresh.stop() };
    }
    shared ??= startEmbeddedPlatform();
    return { ...(await shared), release: async () => undefined };
  };
  for (const benchmark of selected) {
    const began = Date.now();
    const context: BenchContext = {
      smoke,
      log: (line) => process.stderr.write(`[${benchmark.name}] ${line}\n`),
      size: (small, full) => (smoke ? small : full),
      platform,
    };
    context.log(`${benchmark.description} (${smoke ? 'smoke' : 'full'})`);
    try {
      const produced = await withTimeout(benchmark.run(context), benchmark.timeoutMs(smoke), benchmark.name);
      figures.push(...produced);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      context.log(`FAILED: ${message}`);
      figures.push({
        benchmark: benchmark.name,
        id: `${benchmark.name}.error`,
        name: `${benchmark.name} (failed)`,
        unit: '',
        value: null,
        higherIsBetter: true,
        comparisons: [],
        goal: { text: '—', met: false },
        definition: benchmark.description,
        error: message.slice(0, 2000),
      });
    }
    context.log(`done in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    // Written after each benchmark too, so an interrupted run keeps what it measured.
    writeResults(
      runOf(
        startedAt,
        new Date(),
        smoke,
        selected.map((b) => b.name),
        figures,
      ),
      values.out,
    );
  }
  if (shared) await (await (shared as Promise<PlatformUnderTest>)).stop();
  const finishedAt = new Date();
  const run = runOf(
    startedAt,
    finishedAt,
    smoke,
    selected.map((benchmark) => benchmark.name),
    figures,
  );
  console.log(printTable(run));
  const written = writeResults(run, values.out);
  console.log(`\nwritten: ${written.json}, ${written.md}`);
  return figures.some((figure) => figure.error) ? 1 : 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  return 2;
});
// Children and pools are closed by each benchmark; a stray handle must not keep the run alive.
setTimeout(() => process.exit(), 2000).unref();
