import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src-renderer/src/lib/duration';
import { formatSpend, formatUsd } from '../../../src-renderer/src/lib/money';

describe('one money format', () => {
  it.each([
    [null, '—'],
    [undefined, '—'],
    [Number.NaN, '—'],
    [0, '$0'],
    [12.345, '$12.35'],
    [1, '$1.00'],
    [0.0123, '$0.0123'],
    [0.0001, '$0.0001'],
    [0.0000354, '$0.000035'],
    [0.000001, '$0.000001'],
    [-0.5, '-$0.5000'],
  ])('%s -> %s', (value, expected) => {
    expect(formatUsd(value)).toBe(expected);
  });

  it('says a total that leaves out unpriced calls is a lower bound', () => {
    expect(formatSpend(0.0000354, 2)).toBe('at least $0.000035');
    expect(formatSpend(0, 0)).toBe('$0');
  });
});

describe('one duration format', () => {
  it.each([
    [0, '0 ms'],
    [320.4, '320 ms'],
    [999, '999 ms'],
    [2_400, '2.4 s'],
    [185_000, '3 min 5 s'],
  ])('%s ms -> %s', (value, expected) => {
    expect(formatDuration(value)).toBe(expected);
  });
});
