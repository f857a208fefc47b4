/**
 * The floor of the DDI benchmark: a bare Fastify route in its own process that answers a DDI poll
 * with a constant body and does nothing else (no auth lookup, no database). Whatever our poll
 * costs above this is ours.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = { config: { polling: { sleep: '00:00:30' } } };

app.get('/:tenant/controller/v1/:controllerId', async (request, reply) => {
  if (!request.headers.authorization) return reply.status(401).send({});
  return body;
});

const port = Number(process.env['PORT'] ?? 0);
const address = await app.listen({ host: '127.0.0.1', port });
process.stdout.write(`floor listening on ${address}\n`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
