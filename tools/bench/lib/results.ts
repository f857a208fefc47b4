import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { renderTable } from '../../demo/story/narrator.js';
import type { Figure } from './figures.js';

export interface BenchRun {
  date: string;
  mode: 'smoke' | 'full';
  machine: { cores: number; cpuModel: string; memoryGiB: number; node: string };
  gitSha: string;
  startedAt: string;
  finishedAt: string;
  benchmarks: string[];
  figures: Figure[];
  /** How the run came about when it is not one plain invocation (e.g. benchmarks re-run). */
  notes?: string[];
}

export function machine(): BenchRun['machine'] {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

export function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const met = (figure: Figure) =>
  figure.error
    ? 'error'
    : figure.unavailable
      ? 'not run'
      : figure.goal.met === null
        ? 'reported'
        : figure.goal.met
          ? 'met'
          : 'not met';

/** One row per figure: figure, ours, comparisons, ratio, latency, goal, met. */
export function rows(figures: Figure[]): string[][] {
  return figures.map((figure) => [
    figure.name,
    figure.value === null && figure.unavailable
      ? `unavailable (${figure.unavailable})`
      : `${formatNumber(figure.value)} ${figure.unit}`,
    figure.comparisons.length === 0
      ? '—'
      : figure.comparisons
          .map((comparison) =>
            comparison.value === null
              ? `${comparison.label}: unavailable (${comparison.unavailable ?? 'no value'})`
              : `${comparison.label}: ${formatNumber(comparison.value)}`,
          )
          .join('; '),
    figure.comparisons.length === 0
      ? '—'
      : figure.comparisons
          .map((comparison) => (comparison.ratio === null ? '—' : `${formatNumber(comparison.ratio)}×`))
          .join('; '),
    figure.latencyMs
      ? `${formatNumber(figure.latencyMs.p50)} / ${formatNumber(figure.latencyMs.p95)} / ${formatNumber(figure.latencyMs.p99)}`
      : '—',
    figure.goal.text,
    met(figure),
  ]);
}

const HEADERS = ['figure', 'ours', 'comparison (same run)', 'ratio', 'p50 / p95 / p99 ms', 'goal', 'met'];

export function printTable(run: BenchRun): string {
  return renderTable({
    title: `FlexGalaxy benchmarks — ${run.mode}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB, ${run.gitSha.slice(0, 10)}`,
    headers: HEADERS,
    rows: rows(run.figures),
  }).join('\n');
}

const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|');

export function markdown(run: BenchRun): string {
  const lines = [
    `# Benchmarks ${run.date} (${run.mode})`,
    '',
    `Machine: ${run.machine.cores} cores (${run.machine.cpuModel}), ${run.machine.memoryGiB} GiB, Node ${run.machine.node}. ` +
      `Git ${run.gitSha}. Run ${run.startedAt} → ${run.finishedAt}.`,
    '',
    ...(run.notes ?? []).flatMap((note) => [note, '']),
    'Ratio: above 1 means we do better than the comparison (ours ÷ theirs for rates, theirs ÷ ours for times).',
    '',
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map(() => '---').join(' | ')} |`,
    ...rows(run.figures).map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
    '',
    '## Definitions',
    '',
    ...run.figures.map(
      (figure) =>
        `- **${figure.name}** (\`${figure.id}\`): ${figure.definition}${figure.error ? ` **Error:** ${figure.error}` : ''}`,
    ),
    '',
  ];
  return lines.join('\n');
}

export function writeResults(run: BenchRun, directory: string): { json: string; md: string } {
  mkdirSync(directory, { recursive: true });
  const base = join(directory, run.mode === 'smoke' ? `${run.date}-smoke` : run.date);
  writeFileSync(`${base}.json`, `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown(run));
  return { json: `${base}.json`, md: `${base}.md` };
}
