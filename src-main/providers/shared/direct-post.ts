// How a chat request that skips the SDK reaches its server: a POST whose answer is read chunk by chunk.
// Two ways with one contract: over `fetch` (when one is given, as tests and header-watching callers do),
// or over an undici connection pool, which does the same HTTP for a fraction of fetch's CPU per call
// (no Request/Response/Headers objects, no web stream per body). Failures read as fetch's would.
import { createBrotliDecompress, createGunzip, createInflate, type BrotliDecompress, type Gunzip, type Inflate } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';

/** The headers of an answer, as much as readers of rate limits need. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/** An answer whose headers have arrived; its body is read with `next()` until done. */
export interface DirectResponse {
  readonly status: number;
  readonly headers: HeaderLookup;
  /** The next chunk of the body; rejects as fetch's body reader would (`terminated` when the line drops). */
  next(): Promise<IteratorResult<Uint8Array>>;
  /** The whole body as text (error answers). */
  text(): Promise<string>;
  /** The headers as a real Headers object (error answers, which keep them). */
  fullHeaders(): Headers;
  /** Stops reading: the rest of the body is dropped. */
  cancel(): void;
}

export interface DirectPostInit {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** Sends one POST; rejects as fetch does (TypeError "fetch failed" with the cause, or the signal's reason). */
export type DirectPost = (url: string, init: DirectPostInit) => Promise<DirectResponse>;

/** A DirectPost over a fetch function. */
export function fetchPost(fetchFunction: typeof fetch): DirectPost {
  return async (url, init) => {
    const response = await fetchFunction(url, { method: 'POST', headers: init.headers, body: init.body, signal: init.signal });
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    return {
      status: response.status,
      headers: response.headers,
      next: async () => {
        if (!response.body) return { done: true, value: undefined };
        reader ??= response.body.getReader();
        return (await reader.read()) as IteratorResult<Uint8Array>;
      },
      text: () => response.text(),
      fullHeaders: () => response.headers,
      cancel: () => void (reader ?? response.body)?.cancel().catch(() => undefined),
    };
  };
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const decoders: Record<string, () => Gunzip | Inflate | BrotliDecompress> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function lookup(raw: Record<string, string | string[] | undefined>): HeaderLookup {
  return {
    get(name) {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

let sharedAgent: Agent | undefined;

export interface PooledPostOptions {
  /** Told the headers of every answer (rate limits), as a watching fetch would be. */
  onHeaders?: (headers: HeaderLookup) => void;
  /** Takes over when the server redirects (fetch follows redirects; the pool does not). */
  redirects: DirectPost;
  /** The pool; one per process unless given. */
  dispatcher?: Dispatcher;
}

/**
 * A DirectPost over a keep-alive undici pool (the one fetch itself is built on, without its
 * per-call objects). What the caller sees matches fetchPost: the same failures, compressed
 * answers decompressed, redirects followed (by handing them to `redirects`).
 */
export function pooledPost(options: PooledPostOptions): DirectPost {
  return async (url, init) => {
    const dispatcher = options.dispatcher ?? (sharedAgent ??= new Agent());
    const headers = 'user-agent' in init.headers ? init.headers : { ...init.headers, 'user-agent': 'node' };
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, { method: 'POST', headers, body: init.body, signal: init.signal, dispatcher });
    } catch (error) {
      if (init.signal.aborted) throw init.signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    }
    const { statusCode, headers: raw, body } = answer;
    if (redirectStatuses.has(statusCode) && raw['location'] !== undefined) {
      await body.dump().catch(() => undefined);
      return options.redirects(url, init);
    }
    const read = lookup(raw);
    options.onHeaders?.(read);
    const encoding = read.get('content-encoding')?.trim().toLowerCase();
    const decoder = encoding ? decoders[encoding] : undefined;
    let source: AsyncIterable<Uint8Array> = body;
    if (decoder) {
      const decoded = decoder();
      body.on('error', (error) => decoded.destroy(error));
      source = body.pipe(decoded);
    }
    const iterator = source[Symbol.asyncIterator]();
    const failed = (error: unknown): never => {
      if (init.signal.aborted) throw init.signal.reason;
      throw new TypeError('terminated', { cause: error });
    };
    const next = () => iterator.next().catch(failed);
    return {
      status: statusCode,
      headers: read,
      next,
      async text() {
        const decoder = new TextDecoder();
        let text = '';
        for (let chunk = await next(); !chunk.done; chunk = await next()) text += decoder.decode(chunk.value, { stream: true });
        return text + decoder.decode();
      },
      fullHeaders: () => headersOf(raw),
      cancel: () => {
        if (!body.destroyed) body.destroy();
      },
    };
  };
}
