// The reference the gateway is measured against: a minimal keep-alive forwarding proxy with no
// routing, no checks and no log. It passes each request to the provider and streams the answer
// back, as any thin pipe would. Run as its own process: `node --import tsx forwarding-proxy.ts <url>`.
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

const target = process.argv[2];
if (!target) throw new Error('usage: forwarding-proxy.ts <provider base url>');

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

const server = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && !hopByHop.has(name)) headers[name] = value;
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  const upstream = await fetch(`${target}${request.url ?? '/'}`, { method: request.method, headers, body });
  const outgoing: Record<string, string> = {};
  upstream.headers.forEach((value, name) => {
    if (!hopByHop.has(name) && name !== 'content-encoding') outgoing[name] = value;
  });
  response.writeHead(upstream.status, outgoing);
  if (upstream.body) Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>).pipe(response);
  else response.end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening on http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
