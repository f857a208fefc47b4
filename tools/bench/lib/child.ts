import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOAD_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'load');
const RESULT_PREFIX = 'BENCH-RESULT ';

/**
 * Runs a load generator (`tools/bench/load/<name>.ts`) as its own process — so the load never
 * shares a CPU scheduler slot with the measuring code — hands it `job` as JSON and resolves with
 * the JSON it prints on its `BENCH-RESULT` line. Killed after `timeoutMs`.
 */
export function runLoad<R>(name: string, job: unknown, timeoutMs: number): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', '@swc-node/register/esm-register', join(LOAD_DIR, `${name}.ts`)],
      {
        cwd: process.cwd(),
        env: { ...process.env, NODE_OPTIONS: '', BENCH_JOB: JSON.stringify(job) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = output.split('\n').find((entry) => entry.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as R);
        return;
      }
      const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exited with ${code ?? signal}`;
      reject(new Error(`load generator ${name} ${why}:\n${output.slice(-3000)}`));
    });
  });
}

/** In a load generator: its job. */
export function jobOf<J>(): J {
  const raw = process.env['BENCH_JOB'];
  if (!raw) throw new Error('BENCH_JOB is not set: load generators are started by the bench runner');
  return JSON.parse(raw) as J;
}

/** In a load generator: hands the result back and ends the process. */
export function report(result: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => process.exit(0));
}

/** In a load generator: the failure goes to the runner (exit 1, message on stderr). */
export function fail(error: unknown): void {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, () =>
    process.exit(1),
  );
}
