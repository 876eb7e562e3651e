import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * DNS-rebinding guard: a web page that points its own host name at 127.0.0.1 still sends that
 * name in Host, so only loopback names with our port are accepted.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const lower = host.toLowerCase();
  return lower === `127.0.0.1:${port}` || lower === `localhost:${port}` || lower === `[::1]:${port}`;
}

/** The token a request presents: `Authorization: Bearer <token>`, else Anthropic's `x-api-key`; '' when none. */
export function presentedToken(headers: IncomingHttpHeaders): string {
  const apiKey = headers['x-api-key'];
  const authorization = headers.authorization ?? (typeof apiKey === 'string' ? `Bearer ${apiKey}` : undefined);
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
  return match?.[1] ?? '';
}

/** The SHA-256 of a token, hex: how a revoked token is recognised without keeping it. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A live token and the client (its name) it belongs to. */
export interface ClientToken {
  client: string;
  token: string;
}

/** A token revoked in Settings, known by its digest only. */
export interface RevokedToken {
  client: string;
  revokedAt: number;
  /** tokenDigest() of the token. */
  digest: string;
}

/** Who sent a request: a live client, a client whose token was revoked, or nobody known. */
export type TokenVerdict =
  { kind: 'client'; client: string } | { kind: 'revoked'; client: string; revokedAt: number } | { kind: 'unknown' };

/**
 * Matches a presented token against every live token in constant time: both sides are hashed
 * (same length whatever was sent) and every live token is compared, with no early exit, so the
 * time taken says nothing about which token matched or how much of one. Digests of the live tokens
 * are kept between requests, since the list rarely changes.
 */
export function createTokenMatcher(): (presented: string, live: readonly ClientToken[], revoked?: readonly RevokedToken[]) => TokenVerdict {
  const digests = new Map<string, Buffer>();
  const digestOf = (token: string) => {
    let known = digests.get(token);
    if (!known) {
      if (digests.size > 256) digests.clear();
      known = createHash('sha256').update(token).digest();
      digests.set(token, known);
    }
    return known;
  };
  return (presented, live, revoked = []) => {
    const sent = createHash('sha256').update(presented).digest();
    let found: string | null = null;
    for (const entry of live) {
      // An empty token admits no one, whatever is sent.
      if (timingSafeEqual(sent, digestOf(entry.token)) && entry.token.length > 0 && found === null) found = entry.client;
    }
    if (found !== null && presented.length > 0) return { kind: 'client', client: found };
    if (presented.length === 0) return { kind: 'unknown' };
    const hex = sent.toString('hex');
    const gone = revoked.find((entry) => entry.digest === hex);
    return gone ? { kind: 'revoked', client: gone.client, revokedAt: gone.revokedAt } : { kind: 'unknown' };
  };
}

/** A new bearer token: 32 random bytes, URL-safe. */
export function generateToken(): string {
  return `sbg-${randomBytes(32).toString('base64url')}`;
}

/** A token a client could guess in reasonable time protects nothing. */
export const minimumTokenLength = 32;

/** Why a token chosen by the operator cannot be used, or undefined when it can. */
export function tokenProblem(token: string): string | undefined {
  if (token.length >= minimumTokenLength) return undefined;
  return `The gateway token is ${token.length} characters long; it must have at least ${minimumTokenLength}. Generate one with \`openssl rand -hex 24\`, or leave --token and SWITCHBOARD_GATEWAY_TOKEN unset to have one generated.`;
}

/** Origins compare without a trailing slash and case-insensitively, as browsers send them. */
function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

export function isAllowedOrigin(origin: string | undefined, allowedOrigins: readonly string[]): origin is string {
  if (!origin) return false;
  const wanted = normalizeOrigin(origin);
  return allowedOrigins.some((allowed) => normalizeOrigin(allowed) === wanted);
}

export const exposedHeaders =
  'x-switchboard-connection, x-switchboard-model, x-switchboard-attempts, x-switchboard-fallbacks, retry-after, retry-after-ms';

/** CORS headers for an allowed origin's actual request. */
export function corsHeaders(origin: string): Record<string, string> {
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': exposedHeaders, vary: 'Origin' };
}

const headerNamePattern = /^[A-Za-z0-9-]+$/;

/** The answer to an allowed origin's preflight: our methods, and the headers it asks to send. */
export function preflightHeaders(origin: string, headers: IncomingHttpHeaders): Record<string, string> {
  const requested = (headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => headerNamePattern.test(name));
  return {
    ...corsHeaders(origin),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': [...new Set(['authorization', 'content-type', ...requested.map((name) => name.toLowerCase())])].join(
      ', ',
    ),
    'access-control-max-age': '600',
  };
}
