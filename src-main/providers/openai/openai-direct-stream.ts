import { APIError } from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { CallScope } from '../shared/call-scope';
import type { DirectPost, DirectResponse } from '../shared/direct-post';
import { classifyTransportFailure } from '../shared/transport-failure';

/**
 * Where a chat completion goes without the SDK: the full URL, the headers (the key among them) and
 * how to send it (the way that reads rate-limit headers).
 */
export interface DirectChatEndpoint {
  url: string;
  headers: Record<string, string>;
  post: DirectPost;
}

/** One server-sent event: its `event:` name (null when none) and its `data:` lines joined. */
interface ServerSentEvent {
  event: string | null;
  data: string;
}

/** Splits a server-sent event stream into events (WHATWG rules: \n, \r\n or \r ends a line, : starts a comment). */
async function* serverSentEvents(body: DirectResponse): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event: string | null = null;
  let data: string[] = [];
  const line = (text: string): ServerSentEvent | undefined => {
    if (text === '') {
      const dispatched = data.length > 0 ? { event, data: data.join('\n') } : undefined;
      event = null;
      data = [];
      return dispatched;
    }
    if (text.charCodeAt(0) === 58 /* : */) return undefined;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    return undefined;
  };
  const lineEnd = /\r\n|\r|\n/g;
  for (let read = await body.next(); !read.done; read = await body.next()) {
    buffer += decoder.decode(read.value, { stream: true });
    let start = 0;
    lineEnd.lastIndex = 0;
    for (let match = lineEnd.exec(buffer); match !== null; match = lineEnd.exec(buffer)) {
      // A \r last in the buffer may be the first half of a \r\n still on its way.
      if (match[0] === '\r' && match.index === buffer.length - 1) break;
      const dispatched = line(buffer.slice(start, match.index));
      start = match.index + match[0].length;
      if (dispatched) yield dispatched;
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  for (const rest of buffer.split(/\r\n|\r|\n/)) {
    const dispatched = line(rest);
    if (dispatched) yield dispatched;
  }
  const last = line('');
  if (last) yield last;
}

/** What is left of a body after [DONE]: read to its end, so the connection goes back to the pool, or cancelled. */
function finishBody(iterator: AsyncIterator<ServerSentEvent>, response: DirectResponse): void {
  // The body normally ends with the [DONE] event; one that stays open is cut after a second.
  const cut = setTimeout(() => response.cancel(), 1_000);
  cut.unref?.();
  const drain = async () => {
    try {
      while (!(await iterator.next()).done) {
        // Nothing after [DONE] is read.
      }
    } catch {
      // A body cut after [DONE] lost nothing.
    } finally {
      clearTimeout(cut);
    }
  };
  void drain();
}

/**
 * POSTs a streamed chat completion and yields its chunks, as the `openai` SDK's stream would, for
 * a fraction of its cost per call: one POST on a keep-alive pool (shared/direct-post.ts), one pass over the
 * bytes, no per-chunk promise race (the body read itself ends when the scope's signal aborts).
 * Failures are the SDK's own error classes (APIError.generate for a status, APIError for an error
 * event), so the OpenAI error mapper reads them exactly as before.
 */
export async function* streamChatDirect(
  endpoint: DirectChatEndpoint,
  params: ChatCompletionCreateParamsStreaming,
  scope: CallScope,
): AsyncGenerator<ChatCompletionChunk> {
  const body = JSON.stringify(params);
  const send = () => endpoint.post(endpoint.url, { headers: endpoint.headers, body, signal: scope.signal });
  let response: DirectResponse;
  try {
    response = await send();
  } catch (error) {
    // A pooled keep-alive connection the server closed just as it was reused fails before any
    // answer (undici's UND_ERR_SOCKET); a new connection settles it. Anything else is the provider's.
    if (scope.signal.aborted || classifyTransportFailure(error)?.code !== 'UND_ERR_SOCKET') throw error;
    response = await send();
  }
  scope.touch();
  if (response.status < 200 || response.status > 299) {
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    throw APIError.generate(response.status, json as object | undefined, json === undefined ? text : undefined, response.fullHeaders());
  }
  const events = serverSentEvents(response);
  let done = false;
  try {
    for (let next = await events.next(); !next.done; next = await events.next()) {
      scope.touch();
      const message = next.value;
      if (message.data === '[DONE]') {
        done = true;
        finishBody(events, response);
        return;
      }
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(message.data) as Record<string, unknown>;
      } catch {
        throw new SyntaxError('Error reading response: malformed server-sent event JSON.');
      }
      if (message.event === 'error') throw new APIError(undefined, (data?.['error'] ?? data) as object, undefined, response.fullHeaders());
      if (data && data['error']) throw new APIError(undefined, data['error'] as object, undefined, response.fullHeaders());
      const choices = data['choices'];
      // The SDK gives every choice a finish_reason (null until the last).
      if (Array.isArray(choices)) for (const choice of choices as Array<Record<string, unknown>>) choice['finish_reason'] ??= null;
      yield data as unknown as ChatCompletionChunk;
    }
    done = true;
  } finally {
    // Stopped early (an error, or the consumer went away): the request ends, as the SDK ends it.
    if (!done) {
      scope.abandon();
      response.cancel();
    }
  }
  // A stream the caller's signal or our deadline stopped reports why, as iterateWithin does.
  if (scope.signal.aborted) throw scope.signal.reason;
}
