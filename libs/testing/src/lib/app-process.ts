import { spawn, type ChildProcess } from 'node:child_process';

export interface AppProcess {
  url: string;
  /** The process id (to read its memory, or profile it). */
  pid: number;
  stdout(): string;
  stop(): Promise<number | null>;
}

/**
 * Starts an app's main.ts as its own process, the way `npm start` does, and resolves once it
 * prints that it listens. Rejects with its output if it exits first or takes too long.
 */
export function startAppProcess(
  mainTs: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  nodeArgs: readonly string[] = [],
): Promise<AppProcess> {
  const args = [...nodeArgs, '--import', '@swc-node/register/esm-register', mainTs];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${mainTs} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${mainTs} exited with ${code} before listening:\n${output}`));
    });
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        pid: child.pid ?? 0,
        stdout: () => output,
        stop: async () => {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          const code = await exited;
          clearTimeout(killer);
          return code;
        },
      });
    }, 50);
    void exited.then(() => clearInterval(poll));
  });
}

/** Runs an app expecting it to refuse to start; resolves with its exit code and output. */
export function runAppExpectingExit(
  mainTs: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', mainTs], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
