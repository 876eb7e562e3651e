// What a connection form may hold, checked before anything is saved: names, keys, ids, limits.
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import type { Connection } from '../../src-shared/schemas/connection';
import { apiKeyProblem, connectionNameProblem } from '../../src-shared/schemas/connection-form';
import type { RateLimits } from '../../src-shared/schemas/rate-limits';
import { providerProfile } from '../providers/registry';

export const invalid = (field: string, message: string) => new AppErrorException(appError('validation_failed', message, { field }));

/** The last four characters of a saved key, for the form; never more. */
export function keyHint(key: string | null): string | null {
  if (!key) return null;
  return `•••• ${key.slice(-4)}`;
}

function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'connection';
}

/** An id from the name ("OpenAI (team)" -> "openai-team"), numbered when taken. */
export function uniqueId(name: string, existing: Connection[]): string {
  const base = slugify(name);
  const taken = new Set(existing.map((connection) => connection.id));
  if (!taken.has(base)) return base;
  for (let index = 2; ; index += 1) if (!taken.has(`${base}-${index}`)) return `${base}-${index}`;
}

/** Limits kept only when at least one is set, so a connection without any stays without the field. */
export function withRateLimits(limits: RateLimits | undefined): { rateLimits?: RateLimits } {
  if (!limits || Object.values(limits).every((value) => value === null)) return {};
  return { rateLimits: limits };
}

/** Refuses an empty name or one another connection has (case and surrounding spaces aside). */
export function checkName(name: string, connections: readonly Connection[], exceptId?: string): void {
  const others = connections.filter((connection) => connection.id !== exceptId).map((connection) => connection.name);
  const problem = connectionNameProblem(name, others);
  if (problem) throw invalid('name', problem);
}

/** Refuses a missing key where the kind needs one, an empty key, or one with spaces or line breaks. */
export function checkKey(kind: Connection['kind'], apiKey: string | undefined, required: boolean): void {
  const problem = apiKeyProblem(apiKey, { keyRequired: providerProfile(kind).keyRequired, mustHaveOne: required });
  if (problem) throw invalid('apiKey', problem);
}
