import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appError, type AppError } from '../../src-shared/errors/app-error';
import type { Settings } from '../../src-shared/schemas/settings';
import type { CallRunner } from '../calls/call-runner';
import type { Logger, TokenCounter } from '../engine/ports';
import { createAnswerChecker } from '../calls/answer-check';
import { handleChatCompletions, sendError, sendJson } from './chat-completions';
import { countTokens, handleMessages, sendAnthropicError } from './messages-api';
import { createJsonShapeCheck } from './request-limits';
import { GatewayHttpError, invalidRequest } from './gateway-errors';
import {
  corsHeaders,
  createTokenMatcher,
  isAllowedHost,
  isAllowedOrigin,
  preflightHeaders,
  presentedToken,
  type ClientToken,
  type RevokedToken,
  type TokenVerdict,
} from './request-guards';
import { listVirtualModels } from './virtual-models';

/** Bodies larger than this are refused with 413; base64 images make up most of a big request. */
export const defaultMaxBodyBytes = 20 * 1024 * 1024;

export interface GatewayServerOptions {
  /** The pipeline every call goes through (routing, retries, fallbacks, health, call log). */
  runner: Pick<CallRunner, 'run'>;
  settings: { get(): Settings };
  /** The clients' tokens (any live one admits its client); read per request, so they can change while running. */
  tokens: () => Promise<GatewayTokens> | GatewayTokens;
  /** Told which client each accepted request came from (its last use). */
  onClient?: (client: string) => void;
  /** Browser origins that get CORS headers; none by default. */
  allowedOrigins: () => readonly string[];
  now?: () => number;
  logger?: Logger;
  maxBodyBytes?: number;
  /** Exact token counts for the max-input check where the model is known; estimates otherwise. */
  tokenCounter?: TokenCounter;
}

/** The tokens the gateway accepts, and those it refuses as revoked (by digest). */
export interface GatewayTokens {
  live: readonly ClientToken[];
  revoked?: readonly RevokedToken[];
}

export interface GatewayAddress {
  host: '127.0.0.1';
  port: number;
  /** `http://127.0.0.1:<port>`; the OpenAI base URL is this plus `/v1`. */
  url: string;
}

export interface GatewayServer {
  /** Listens on 127.0.0.1 only; port 0 picks a free one. */
  listen(port: number): Promise<GatewayAddress>;
  /** Stops listening and cancels the calls still running. */
  close(): Promise<void>;
  readonly address: GatewayAddress | null;
}

class BodyTooLarge extends Error {}

// A body over the limit is still read to its end (and dropped), so the client gets to read the
// 413 instead of a broken pipe; past this many times the limit it is cut off instead.
const drainFactor = 4;

function readBody(request: IncomingMessage, limit: number, inspect: (part: Buffer) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // A part the inspector refuses ends collecting; the rest is drained like an oversized body.
    let refused: unknown = null;
    if (Number(request.headers['content-length']) > limit * drainFactor) {
      reject(new BodyTooLarge());
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    request.on('data', (part: Buffer) => {
      size += part.length;
      if (refused === null && size <= limit) {
        try {
          inspect(part);
        } catch (error) {
          refused = error;
          parts.length = 0;
        }
      }
      if (refused !== null) {
        if (size > limit * drainFactor) request.destroy();
      } else if (size <= limit) parts.push(part);
      else if (size > limit * drainFactor) {
        request.destroy();
        reject(new BodyTooLarge());
      } else parts.length = 0;
    });
    request.on('end', () => {
      if (refused !== null) reject(refused);
      else if (size > limit) reject(new BodyTooLarge());
      else resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    });
    request.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidRequest('The request body is not valid JSON');
  }
}

const notFound = (path: string) =>
  new GatewayHttpError(
    appError('not_found', `Nothing at ${path}. The gateway serves GET /v1/models, POST /v1/chat/completions and POST /v1/messages.`),
    404,
  );

/** Anthropic's Messages API paths answer errors in Anthropic's shape, so its SDKs can read them. */
function speaksAnthropic(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/v1/messages');
}

/** Why a request's token was refused, and what to do about it. */
function refusal(verdict: Exclude<TokenVerdict, { kind: 'client' }>): string {
  if (verdict.kind === 'revoked') {
    const day = new Date(verdict.revokedAt).toISOString().slice(0, 10);
    return `This token of gateway client "${verdict.client}" was revoked on ${day}. Create a new token under Settings → Local gateway → New token and give it to that client.`;
  }
  return 'Send a gateway token as "Authorization: Bearer <token>" (or as x-api-key). The app shows each token once, when it is created under Settings → Local gateway; the headless gateway takes --token or writes a generated one to a file.';
}

/**
 * The local OpenAI-compatible gateway (DESIGN.md "Local gateway"): 127.0.0.1 only, bearer token
 * required, Host header checked, CORS only for allowed origins. Every chat completion goes through
 * the same call runner as chat and tasks.
 */
export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const answerCheck = createAnswerChecker();
  const matchToken = createTokenMatcher();
  const running = new Set<AbortController>();
  let address: GatewayAddress | null = null;
  // The list changes only with the settings, which are replaced (not mutated) on every change.
  let modelList: { settings: Settings; ids: string[]; created: number } | null = null;

  const modelsFor = (settings: Settings) => {
    if (modelList?.settings !== settings) modelList = { settings, ids: listVirtualModels(settings), created: Math.floor(now() / 1000) };
    return modelList;
  };
  const modelObject = (id: string, created: number) => ({ id, object: 'model', created, owned_by: 'switchboard' });

  const callContext = (client: string) => ({
    runner: options.runner,
    client,
    settings: () => options.settings.get(),
    now,
    ...(options.tokenCounter ? { tokenCounter: options.tokenCounter } : {}),
  });

  async function route(request: IncomingMessage, response: ServerResponse, headers: Record<string, string>, client: string): Promise<void> {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const method = request.method ?? 'GET';

    if (path === '/v1/messages/count_tokens') {
      if (method !== 'POST') throw new GatewayHttpError(appError('bad_request', `Use POST for ${path}`), 405);
      countTokens(callContext(client), parseJson(await readBody(request, maxBodyBytes, createJsonShapeCheck())), response, headers);
      return;
    }
    if (path === '/v1/chat/completions' || path === '/v1/messages') {
      if (method !== 'POST') throw new GatewayHttpError(appError('bad_request', `Use POST for ${path}`), 405);
      // The body's shape is checked as it arrives, so a hostile one is refused before it is parsed.
      const body = parseJson(await readBody(request, maxBodyBytes, createJsonShapeCheck()));
      const controller = new AbortController();
      running.add(controller);
      // A client that goes away cancels its call, so nobody pays for tokens no one will read.
      response.on('close', () => {
        running.delete(controller);
        if (!response.writableFinished) controller.abort();
      });
      if (path === '/v1/messages') await handleMessages(callContext(client), body, response, headers, controller.signal, request.headers);
      else
        await handleChatCompletions({ ...callContext(client), answerCheck }, body, response, headers, controller.signal, request.headers);
      return;
    }
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (method !== 'GET') throw new GatewayHttpError(appError('bad_request', `Use GET for ${path}`), 405);
      const models = modelsFor(options.settings.get());
      if (path === '/v1/models') {
        sendJson(response, 200, headers, { object: 'list', data: models.ids.map((id) => modelObject(id, models.created)) });
        return;
      }
      let id: string;
      try {
        id = decodeURIComponent(path.slice('/v1/models/'.length));
      } catch {
        id = path.slice('/v1/models/'.length);
      }
      if (!models.ids.includes(id))
        throw new GatewayHttpError(appError('model_not_found', `There is no model "${id}" here.`), 404, 'model');
      sendJson(response, 200, headers, modelObject(id, models.created));
      return;
    }
    throw notFound(path);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const port = address?.port ?? 0;
    const anthropic = speaksAnthropic(request.url);
    const fail = (error: AppError, status: number, headers: Record<string, string> = {}) =>
      anthropic ? sendAnthropicError(response, headers, error, status) : sendError(response, headers, error, status);
    if (!isAllowedHost(request.headers.host, port)) {
      fail(
        appError(
          'permission_denied',
          `Address the gateway as 127.0.0.1:${port} or localhost:${port}; requests for other host names are refused.`,
        ),
        403,
      );
      return;
    }
    const origin = request.headers.origin;
    const allowedOrigin = isAllowedOrigin(origin, options.allowedOrigins()) ? origin : undefined;
    const headers = allowedOrigin ? corsHeaders(allowedOrigin) : {};
    if (request.method === 'OPTIONS') {
      // Preflights carry no token; only an allowed origin gets an answer it can use.
      if (!allowedOrigin) {
        fail(
          appError(
            'permission_denied',
            'This origin is not allowed to call the gateway. Add it under Settings → Local gateway → Allowed browser origins (or gateway.allowedOrigins in the headless config file).',
          ),
          403,
        );
        return;
      }
      response.writeHead(204, preflightHeaders(allowedOrigin, request.headers));
      response.end();
      return;
    }
    let verdict: TokenVerdict = { kind: 'unknown' };
    try {
      const tokens = await options.tokens();
      verdict = matchToken(presentedToken(request.headers), tokens.live, tokens.revoked);
    } catch {
      // No readable tokens (none made yet, keychain locked): nobody gets in.
    }
    if (verdict.kind !== 'client') {
      fail(appError('auth_invalid', refusal(verdict)), 401, headers);
      return;
    }
    options.onClient?.(verdict.client);
    try {
      await route(request, response, headers, verdict.client);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        const limit = Math.round(maxBodyBytes / (1024 * 1024));
        // A cut-off body leaves the connection unusable; closing it in every case keeps this simple.
        fail(appError('validation_failed', `The request body is over the ${limit} MB limit: send smaller or fewer images.`), 413, {
          ...headers,
          connection: 'close',
        });
        return;
      }
      if (error instanceof GatewayHttpError) {
        if (anthropic) sendAnthropicError(response, headers, error.error, error.status);
        else sendError(response, headers, error.error, error.status, error.param);
        return;
      }
      options.logger?.warn('Gateway request failed', { path: request.url, error: error instanceof Error ? error.message : String(error) });
      fail(appError('internal', 'Something went wrong in the gateway. Try again; if it keeps happening, restart it.'), 500, headers);
    }
  }

  const server: Server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.logger?.warn('Gateway request failed', { error: error instanceof Error ? error.message : String(error) });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  return {
    get address() {
      return address;
    },
    listen(port) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          const bound = (server.address() as AddressInfo).port;
          address = { host: '127.0.0.1', port: bound, url: `http://127.0.0.1:${bound}` };
          resolve(address);
        });
      });
    },
    close() {
      for (const controller of running) controller.abort();
      running.clear();
      return new Promise((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
