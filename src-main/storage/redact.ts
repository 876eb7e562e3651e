// Keys must never reach the call log, even when a prompt or an error message happens to contain one.

export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are not replaced: a one- or two-character "key" (a placeholder such as "x")
 * would shred ordinary text, and no real provider key is that short.
 */
export const MIN_SECRET_LENGTH = 4;

/** The forms a secret takes inside text: as is, URL-encoded, and escaped inside a JSON string. */
function forms(secret: string): string[] {
  const jsonEscaped = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, encodeURIComponent(secret), jsonEscaped])];
}

/** Replaces every occurrence of each secret it was made for (and their encoded forms) with `[redacted]`. */
export type Redactor = ((text: string) => string) & {
  /** Every form it looks for reads the same inside a JSON string (no quote, backslash or control character). */
  readonly plainInJson: boolean;
};

/** Works out the forms of the secrets once, for redacting many texts (every field of a logged call). */
export function createRedactor(secrets: readonly string[]): Redactor {
  const candidates = secrets
    .map((secret) => secret.trim())
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .flatMap(forms)
    // Longest first, so a key that contains another key is replaced whole.
    .sort((left, right) => right.length - left.length);
  const plainInJson = candidates.every((candidate) => JSON.stringify(candidate) === `"${candidate}"`);
  if (candidates.length === 0) return Object.assign((text: string) => text, { plainInJson });
  const redactor = (text: string) => {
    let result = text;
    for (const candidate of candidates) {
      if (result.includes(candidate)) result = result.split(candidate).join(REDACTED);
    }
    return result;
  };
  return Object.assign(redactor, { plainInJson });
}

/** Replaces every occurrence of each secret (and its encoded forms) with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  return text.length === 0 ? text : createRedactor(secrets)(text);
}

/** Redacts every string inside a JSON-like value, keys included, without touching its shape. */
export function redactDeep<T>(value: T, secrets: readonly string[] | Redactor): T {
  const redactor = typeof secrets === 'function' ? secrets : createRedactor(secrets);
  if (typeof value === 'string') return redactor(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redactor)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactor(key), redactDeep(item as unknown, redactor)])) as T;
  }
  return value;
}

/**
 * The JSON text of a value with every string in it redacted, as `JSON.stringify(redactDeep(value))`
 * gives it. A form that JSON writes as is shows in the text wherever a string of the value holds
 * it, so a text holding none (the usual case) is the answer as it stands, without a copy of the value.
 */
export function stringifyRedacted(value: unknown, redactor: Redactor): string {
  const text = JSON.stringify(value);
  if (redactor.plainInJson && redactor(text) === text) return text;
  return JSON.stringify(redactDeep(value, redactor));
}

const encoder = new TextEncoder();

/** Cuts text to at most `maxBytes` of UTF-8 without splitting a character. */
export function capText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // A string of n UTF-16 units never takes more than 3n bytes, so short texts skip the encoding.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const buffer = new Uint8Array(maxBytes);
  const { read } = encoder.encodeInto(text, buffer);
  if (read >= text.length) return { text, truncated: false };
  return { text: text.slice(0, read), truncated: true };
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
