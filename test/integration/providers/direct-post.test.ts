import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchPost, pooledPost, type DirectPost, type DirectResponse } from '../../../src-main/providers/shared/direct-post';
import { classifyTransportFailure } from '../../../src-main/providers/shared/transport-failure';

// The pooled POST must read exactly as the fetch one: the same bodies, headers, redirects and failures.

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

async function bodyOf(response: DirectResponse): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for (let chunk = await response.next(); !chunk.done; chunk = await response.next()) text += decoder.decode(chunk.value, { stream: true });
  return text + decoder.decode();
}

const init = () => ({ headers: { 'content-type': 'application/json' }, body: '{"hello":1}', signal: new AbortController().signal });
const sides: Array<[string, () => DirectPost]> = [
  ['fetch', () => fetchPost(globalThis.fetch)],
  ['pool', () => pooledPost({ redirects: fetchPost(globalThis.fetch) })],
];

describe.each(sides)('%s POST', (_name, make) => {
  it('sends the body and headers, and reads status, headers and body', async () => {
    let seen = '';
    const url = await serve((request, response) => {
      let body = '';
      request.on('data', (part: Buffer) => (body += part.toString()));
      request.on('end', () => {
        seen = `${request.method} ${request.headers['content-type']} ${request.headers['user-agent']} ${body}`;
        response.writeHead(201, { 'x-ratelimit-remaining-requests': '42' });
        response.write('data: one\n\n');
        response.end('data: two\n\n');
      });
    });
    const response = await make()(`${url}/v1/chat/completions`, init());
    expect(response.status).toBe(201);
    expect(response.headers.get('X-RateLimit-Remaining-Requests')).toBe('42');
    expect(response.fullHeaders().get('x-ratelimit-remaining-requests')).toBe('42');
    expect(await bodyOf(response)).toBe('data: one\n\ndata: two\n\n');
    expect(seen).toBe('POST application/json node {"hello":1}');
  });

  it('decompresses a compressed answer', async () => {
    const url = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-encoding': 'gzip' });
      response.end(gzipSync('data: packed\n\n'));
    });
    expect(await bodyOf(await make()(url, init()))).toBe('data: packed\n\n');
  });

  it('follows a redirect that keeps the method', async () => {
    const url = await serve((request, response) => {
      request.resume();
      if (request.url === '/old') {
        response.writeHead(307, { location: '/new' });
        response.end();
      } else response.end(`at ${request.url}`);
    });
    const response = await make()(`${url}/old`, init());
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('at /new');
  });

  it('fails as fetch does when nothing listens, and when the line drops mid-body', async () => {
    const closed = await serve((request, response) => response.end());
    await new Promise<void>((done) => server!.close(() => done()));
    server = undefined;
    const refused = await make()(closed, init()).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).message).toBe('fetch failed');
    expect(classifyTransportFailure(refused)).toEqual({ kind: 'network', code: 'ECONNREFUSED' });

    const url = await serve((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-length': '1000' });
      response.write('data: half');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const cut = await bodyOf(await make()(url, init())).catch((error: unknown) => error);
    expect(cut).toBeInstanceOf(TypeError);
    expect((cut as Error).message).toBe('terminated');
    expect(classifyTransportFailure(cut)?.kind).toBe('network');
  });

  it('rejects with the signal’s reason once aborted', async () => {
    const url = await serve((request) => request.resume());
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = make()(url, { ...init(), signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });
});
