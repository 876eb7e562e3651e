import { describe, expect, it } from 'vitest';
import { checkResponseSchema, createJsonShapeCheck, safeHeaderValue } from '../../../src-main/gateway/request-limits';

const feedSplit = (text: string, at: number) => {
  const bytes = Buffer.from(text);
  const check = createJsonShapeCheck();
  check(bytes.subarray(0, at));
  check(bytes.subarray(at));
};

describe('the body shape check', () => {
  const inString = `{"a":"x\\\\\\"${'['.repeat(100)}\\\\","b":"${'{'.repeat(100)}"}`;
  it('ignores brackets inside strings, escaped quotes included, wherever the body is split', () => {
    expect(JSON.parse(inString)).toBeTruthy();
    for (let at = 0; at <= inString.length; at += 1) expect(() => feedSplit(inString, at), `split at ${at}`).not.toThrow();
  });

  it('refuses nesting past 64 levels wherever the body is split', () => {
    const deep = `${'['.repeat(65)}${']'.repeat(65)}`;
    for (const at of [0, 1, 30, 64, 65, 100]) expect(() => feedSplit(deep, at)).toThrow('64 levels');
    expect(() => feedSplit(`${'['.repeat(64)}${']'.repeat(64)}`, 10)).not.toThrow();
  });
});

describe('response_format schemas', () => {
  it('accepts patterns the linear-time engine can run, and names the ones it cannot', () => {
    expect(() => checkResponseSchema({ type: 'string', pattern: '^(a+)+$' })).not.toThrow();
    expect(() => checkResponseSchema({ type: 'string', pattern: '(?=a)a' })).toThrow('without backreferences or lookaround');
    expect(() => checkResponseSchema({ patternProperties: { '(a)\\1': {} } })).toThrow('without backreferences');
    expect(() => checkResponseSchema({ pattern: 'a'.repeat(1_001) })).toThrow('1000 characters');
  });
});

describe('header values', () => {
  it('keeps printable ASCII and percent-encodes anything else', () => {
    expect(safeHeaderValue('gpt-4o-2024-08-06')).toBe('gpt-4o-2024-08-06');
    expect(safeHeaderValue('modèle\r\nx: 1')).toBe('mod%C3%A8le%0D%0Ax%3A%201');
  });
});
