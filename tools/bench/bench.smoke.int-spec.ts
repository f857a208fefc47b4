import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES_AVAILABLE } from '@flexgalaxy/testing';
import type { BenchRun } from './lib/results.js';

// The suite in smoke mode (tiny sizes), as CI runs it so it cannot rot: every figure is a finite
// number or says why it could not be measured; every comparison has a value or a reason.
const describeSmoke = POSTGRES_AVAILABLE ? describe : describe.skip;
if (!POSTGRES_AVAILABLE) console.warn('SKIPPED: the bench needs the machine PostgreSQL (127.0.0.1:5432)');

describeSmoke('npm run bench -- --smoke', () => {
  let out: string;
  let run: BenchRun;
  let output = '';
  let code: number | null = null;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'fg-bench-smoke-'));
    const child = spawn(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', 'tools/bench/bench.ts', '--smoke', '--out', out],
      { cwd: process.cwd(), env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Generous: in CI the smoke run shares two cores with the other suites (the real-stack story
    // among them) and has taken 3 minutes there; on a quiet machine it takes about 80 s.
    const timer = setTimeout(() => child.kill('SIGKILL'), 540_000);
    code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    const json = readdirSync(out).find((file) => file.endsWith('-smoke.json'));
    if (!json) throw new Error(`no results written (exit ${code}):\n${output.slice(-4000)}`);
    run = JSON.parse(readFileSync(join(out, json), 'utf8')) as BenchRun;
  }, 560_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('should finish, write the JSON and Markdown results and say which machine and commit', () => {
    expect({ code, tail: code === 0 ? '' : output.slice(-4000) }).toEqual({ code: 0, tail: '' });
    expect(readdirSync(out).sort()).toEqual([`${run.date}-smoke.json`, `${run.date}-smoke.md`]);
    expect(run.mode).toBe('smoke');
    expect(run.machine.cores).toBeGreaterThan(0);
    expect(run.gitSha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('should report every figure of issue #10 with a finite number or the reason it could not be measured', () => {
    const ids = run.figures.map((figure) => figure.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'ddi-polls.10k',
        'enrollments.embedded',
        'enrollments.distributed',
        'enroll-to-ddi.embedded',
        'enroll-to-ddi.distributed',
        'match-one.1000',
        'scaling.polls.200',
        'scaling.polls.1k',
        'scaling.polls.2k',
        'scaling.policy.2k',
        'mqtt-telemetry.embedded',
        'rollout-pace.100k',
        'memory.idle',
        'memory.100k',
        'batch-transfer.10k',
      ]),
    );
    for (const figure of run.figures) {
      expect({ id: figure.id, error: figure.error }).toEqual({ id: figure.id, error: undefined });
      if (figure.value === null)
        expect({ id: figure.id, unavailable: typeof figure.unavailable }).toEqual({
          id: figure.id,
          unavailable: 'string',
        });
      else expect({ id: figure.id, finite: Number.isFinite(figure.value) }).toEqual({ id: figure.id, finite: true });
      for (const comparison of figure.comparisons) {
        if (comparison.value === null) expect(comparison.unavailable).toEqual(expect.any(String));
        else expect(Number.isFinite(comparison.value)).toBe(true);
      }
    }
  });
});
