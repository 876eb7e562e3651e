import { appError, type AppError } from '../../src-shared/errors/app-error';
import type { Settings } from '../../src-shared/schemas/settings';
import { isLocalConnection } from '../engine/local-connection';
import { invalidRequest } from './gateway-errors';
import type { ResolvedModel } from './virtual-models';

/** A client marks a call local-only with this header (`1`, `true` or `yes`). */
export const LOCAL_ONLY_HEADER = 'x-switchboard-local-only';

function headerSaysLocalOnly(value: string | string[] | undefined): boolean {
  if (value === undefined) return false;
  const text = (Array.isArray(value) ? value.join(',') : value).trim().toLowerCase();
  if (['1', 'true', 'yes'].includes(text)) return true;
  if (['', '0', 'false', 'no'].includes(text)) return false;
  throw invalidRequest(`${LOCAL_ONLY_HEADER} must be 1 (local-only) or 0, not "${text.slice(0, 40)}".`, LOCAL_ONLY_HEADER);
}

/**
 * Why a gateway call must stay on local connections, or null when it may go anywhere: it names a
 * local connection's model, names a local-only agent, or carries the local-only header. Which
 * connections are local is the user's word (Connection.local), else the guess from the address.
 */
export function localOnlyReason(resolved: ResolvedModel, settings: Settings, header: string | string[] | undefined): string | null {
  const connectionId = resolved.route.override?.connectionId;
  const named = connectionId ? settings.connections.find((connection) => connection.id === connectionId) : undefined;
  if (named && isLocalConnection(named)) return `it names the local connection "${named.id}"`;
  if (resolved.agent?.localOnly) return `the agent "${resolved.agent.name}" is local-only`;
  if (headerSaysLocalOnly(header)) return `it carries ${LOCAL_ONLY_HEADER}`;
  return null;
}

// Failures that mean "no local connection is there to answer", where a cloud one would have been tried.
const unavailableCodes = new Set<AppError['code']>([
  'no_candidates',
  'network',
  'timeout',
  'provider_unavailable',
  'provider_overloaded',
  'rate_limited',
]);

/**
 * A local-only call that no local connection could answer: 503 local_unavailable, saying that
 * nothing went to a cloud provider. Other failures (a bad request, an answer that broke its
 * schema, a stream cut after tokens) are the local model's own and pass through as they are.
 */
export function localOnlyFailure(error: AppError, reason: string): AppError {
  if (!unavailableCodes.has(error.code)) return error;
  return appError(
    'local_unavailable',
    `This call is local-only (${reason}) and no local connection can answer it now: ${error.message} Nothing was sent to a cloud provider.`,
    error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {},
  );
}
