import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface PrivateKafka {
  brokers: string;
  /** Stops the broker (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data, waiting until it is healthy. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

function runInfra(command: 'up' | 'down', env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['tools/infra/infra.mjs', command, 'kafka'], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`infra ${command} kafka failed (${code}):\n${output}`)),
    );
  });
}

/**
 * A Kafka broker of the test's own (the launcher's packages, its own ports and data folder), so a
 * test can stop and restart it without disturbing the shared broker other suites use.
 */
export async function startPrivateKafka(): Promise<PrivateKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'fg-kafka-'));
  const port = await freePort();
  const env = {
    INFRA_DIR: dir,
    INFRA_KAFKA_PORT: String(port),
    INFRA_KAFKA_CONTROLLER_PORT: String(await freePort()),
  };
  await runInfra('up', env);
  return {
    brokers: `127.0.0.1:${port}`,
    stop: () => runInfra('down', env),
    start: () => runInfra('up', env),
    destroy: async () => {
      await runInfra('down', env).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
