// Small pieces every repository shares: ids, clocks, lenient JSON columns, LIKE patterns, typed errors.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { AppErrorException, appError } from '../../src-shared/errors/app-error';

export type Clock = () => number;

export function newId(): string {
  return randomUUID();
}

/**
 * Reads a JSON column. A value that no longer fits its schema (written by an older build, edited by hand)
 * reads as `fallback` rather than making the whole list it belongs to unreadable.
 */
export function readJson<T>(text: string | null, schema: z.ZodType<T>, fallback: T): T {
  if (text === null) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

export function writeJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Parses repository input, turning a mismatch into a `validation_failed` error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppErrorException(
    appError('validation_failed', issue?.message ?? 'Invalid input.', { field: issue?.path.join('.') || undefined }),
  );
}

export function notFound(what: string): AppErrorException {
  return new AppErrorException(appError('not_found', `${what} was not found. It may have been deleted.`));
}

/** A LIKE pattern matching `text` anywhere; use with `ESCAPE '\'`. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

// Control characters (NUL included, which ends an FTS5 query string early) separate words like spaces.
// eslint-disable-next-line no-control-regex -- control characters are what is split on
const wordSeparators = /[\s\u0000-\u001F\u007F-\u009F]+/;

/** Words of a search box, without the punctuation neither FTS5 nor a person counts as a word. */
export function searchWords(text: string, limit = 8): string[] {
  return text
    .split(wordSeparators)
    .map((word) => word.replace(/"/g, ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, limit);
}
