import { describe, expect, it } from 'vitest';
import { choiceWords } from '../../../src-renderer/src/features/activity/call-words';

describe('where a call stood in its list of providers, in words', () => {
  it.each([
    [0, 1, '1st'],
    [0, 2, '1st, try 2'],
    [1, 1, '2nd'],
    [2, 3, '3rd, try 3'],
    [3, 1, '4th'],
    [10, 1, '11th'],
    [11, 2, '12th, try 2'],
    [20, 1, '21st'],
  ])('position %i, attempt %i reads "%s"', (position, attempt, words) => {
    expect(choiceWords(position, attempt)).toBe(words);
  });
});
