import { describe, expect, it } from 'vitest';
import { capText, createRedactor, redact, redactDeep, REDACTED, stringifyRedacted } from '../../../src-main/storage/redact';

const KEY = 'sk-proj-AbC123_def456-GHI789jkl';

describe('redact', () => {
  it('replaces every occurrence of each key', () => {
    expect(redact(`Authorization: Bearer ${KEY}\nx-api-key: ${KEY}`, [KEY])).toBe(
      `Authorization: Bearer ${REDACTED}\nx-api-key: ${REDACTED}`,
    );
  });

  it('catches the URL-encoded and JSON-escaped forms of a key', () => {
    const awkward = 'key/with+special"chars\\and=more';
    const text = `?key=${encodeURIComponent(awkward)} body=${JSON.stringify({ key: awkward })}`;
    const result = redact(text, [awkward]);
    expect(result).toBe(`?key=${REDACTED} body={"key":"${REDACTED}"}`);
  });

  it('replaces a longer key whole when a shorter key is part of it', () => {
    expect(redact('abcdefgh-long and abcdefgh', ['abcdefgh', 'abcdefgh-long'])).toBe(`${REDACTED} and ${REDACTED}`);
  });

  it('ignores empty and very short secrets instead of shredding the text', () => {
    const text = 'a normal sentence with an x in it';
    expect(redact(text, ['', '   ', 'x', 'an'])).toBe(text);
    expect(redact('trimmed key here', ['  trimmed key  '])).toBe(`${REDACTED} here`);
  });

  it('redacts strings anywhere in nested values, keys included', () => {
    const value = { reasons: [{ message: `401 with ${KEY}`, code: 7 }], [KEY]: true };
    expect(redactDeep(value, [KEY])).toEqual({ reasons: [{ message: `401 with ${REDACTED}`, code: 7 }], [REDACTED]: true });
  });
});

describe('stringifyRedacted', () => {
  const awkward = 'key/with+special"chars\\and=more';
  const values = [
    { reasons: [{ message: 'nothing secret here', code: 7 }] },
    { reasons: [{ message: `401 with ${KEY}`, code: 7 }], [KEY]: true },
    [`?key=${encodeURIComponent(KEY)}`, { nested: [`Bearer ${KEY}`] }],
    [`body=${JSON.stringify({ key: awkward })}`, awkward, `?k=${encodeURIComponent(awkward)}`, 'plain'],
    ['null', { model: null }],
  ];

  it('writes what JSON.stringify(redactDeep(value)) writes, for plain and awkward keys alike', () => {
    for (const secrets of [[KEY], [awkward], [KEY, awkward], ['null'], []]) {
      const redactor = createRedactor(secrets);
      for (const value of values) expect(stringifyRedacted(value, redactor)).toBe(JSON.stringify(redactDeep(value, secrets)));
    }
  });

  it('leaves no key in the text', () => {
    const text = stringifyRedacted(values[3], createRedactor([awkward]));
    expect(text).not.toContain(awkward);
    expect(JSON.parse(text)).toEqual([`body={"key":"${REDACTED}"}`, REDACTED, `?k=${REDACTED}`, 'plain']);
  });
});

describe('capText', () => {
  it('keeps short text whole and cuts long text at a character boundary within the byte limit', () => {
    expect(capText('hello', 5)).toEqual({ text: 'hello', truncated: false });
    expect(capText('hello!', 5)).toEqual({ text: 'hello', truncated: true });
    expect(capText('ab😀cd', 5)).toEqual({ text: 'ab', truncated: true });
    expect(capText('ab😀cd', 6)).toEqual({ text: 'ab😀', truncated: true });
    expect(capText('€€€', 9)).toEqual({ text: '€€€', truncated: false });
  });
});
