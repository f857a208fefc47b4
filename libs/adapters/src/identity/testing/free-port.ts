import { createServer } from 'node:net';

/**
 * A TCP port nobody listens on right now. The embedded issuer must know its own URL before it
 * listens (the URL is its `iss`), so tests pick the port first.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
