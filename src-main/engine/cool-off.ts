import type { AppError } from '../../src-shared/errors/app-error';
import type { ConnectionHealth, CoolOff } from '../../src-shared/schemas/health';
import { errorTraits } from '../../src-shared/errors/error-traits';

export type { CoolOff } from '../../src-shared/schemas/health';

/**
 * The cool-off a failure asks for: a provider's Retry-After (DESIGN.md point 5) means "do not
 * call me again before then", so routing skips the connection until it has passed.
 */
export function coolOffFromError(error: AppError, now: number): CoolOff | null {
  const wait = error.retryAfterMs;
  if (wait === undefined || !(wait > 0)) return null;
  return { until: now + wait, reason: `asked to wait (${errorTraits[error.code].healthNoun})` };
}

/** The later of two cool-offs: a second, shorter Retry-After does not shorten the first. */
export function laterCoolOff(current: CoolOff | null | undefined, next: CoolOff): CoolOff {
  return current && current.until >= next.until ? current : next;
}

/** The connection's cool-off while it lasts; undefined once it has passed. */
export function activeCoolOff(health: Pick<ConnectionHealth, 'coolOff'> | undefined, now: number): CoolOff | undefined {
  const coolOff = health?.coolOff;
  return coolOff && coolOff.until > now ? coolOff : undefined;
}

/** "25 s", "2 min", "1 h 5 min": how long is left, rounded up. */
export function waitWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** "OpenAI asked to wait (rate limited): skipped for another 25 s". */
export function coolOffMessage(connectionName: string, coolOff: CoolOff, now: number): string {
  return `${connectionName} ${coolOff.reason}: skipped for another ${waitWords(coolOff.until - now)}`;
}
