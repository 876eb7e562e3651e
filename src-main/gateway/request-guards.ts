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

// Hashing first gives both sides the same length, so the comparison time says nothing about
// how long the token is or how much of it matched.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * A check of `Authorization: Bearer <token>` in constant time; an empty expected token admits no
 * one. The expected token rarely changes, so its digest is kept rather than recomputed per request.
 */
export function createTokenCheck(): (authorization: string | undefined, expected: string) => boolean {
  let expectedDigest: { token: string; digest: Buffer } | null = null;
  return (authorization, expected) => {
    if (!expected) return false;
    const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
    const presented = match?.[1] ?? '';
    if (expectedDigest?.token !== expected) expectedDigest = { token: expected, digest: digest(expected) };
    const equal = timingSafeEqual(digest(presented), expectedDigest.digest);
    return equal && presented.length > 0;
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
