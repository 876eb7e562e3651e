/** A non-2xx answer from a request we made ourselves (native endpoints the SDKs do not cover). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: unknown,
    readonly url: string,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
}

/** A 2xx answer whose body is not the JSON we expected. */
export class MalformedResponseError extends Error {
  constructor(readonly url: string) {
    super('The answer was not valid JSON.');
    this.name = 'MalformedResponseError';
  }
}

async function readJson(response: Response, url: string): Promise<unknown> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    if (response.ok) throw new MalformedResponseError(url);
  }
  if (!response.ok) throw new HttpStatusError(response.status, response.headers, body, url);
  return body;
}

/** Sends a JSON body (POST by default) and reads a JSON answer; errors as getJson. */
export async function sendJson(
  fetchImplementation: typeof fetch,
  url: string,
  payload: unknown,
  options: { headers?: Record<string, string>; signal: AbortSignal; method?: 'POST' | 'DELETE' },
): Promise<unknown> {
  const response = await fetchImplementation(url, {
    method: options.method ?? 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(payload),
    signal: options.signal,
    redirect: 'error',
  });
  return readJson(response, url);
}

/** GET a JSON document; throws HttpStatusError on a non-2xx status, fetch's own error on transport failure. */
export async function getJson(
  fetchImplementation: typeof fetch,
  url: string,
  options: { headers?: Record<string, string>; signal: AbortSignal },
): Promise<unknown> {
  const response = await fetchImplementation(url, {
    method: 'GET',
    headers: { accept: 'application/json', ...options.headers },
    signal: options.signal,
    redirect: 'error',
  });
  return readJson(response, url);
}

/** Joins a base URL and a path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
