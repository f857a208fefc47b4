import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now (for apps whose own URL must be known before they listen). */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/**
 * Where a run of `count` consecutive ports is free on 127.0.0.1, below Linux's ephemeral range
 * (32768 and up). A port the OS hands out for port 0 lies inside that range, so the outgoing
 * connections of other tests (PostgreSQL, Kafka) may take it before our process listens on it:
 * the distributed launcher's services failed with EADDRINUSE that way. Below it, only a listener
 * can hold a port, and each one is checked.
 */
export async function freePortRun(count: number, from = 20_000, to = 32_000): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = from + Math.floor(Math.random() * (to - from - count));
    let free = true;
    for (let port = base; port < base + count && free; port++) {
      free = await listenOnce(port).then(
        () => true,
        () => false,
      );
    }
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports between ${from} and ${to}`);
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
