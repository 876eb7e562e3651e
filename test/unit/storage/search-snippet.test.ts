import { describe, expect, it } from 'vitest';
import { fromMarked, MATCH_END, MATCH_START, snippetAround } from '../../../src-main/storage/search-snippet';
import { containsPattern, searchWords } from '../../../src-main/storage/storage-helpers';

describe('search snippets', () => {
  it('turns FTS5 markers into plain text and highlight ranges', () => {
    expect(fromMarked(`…the ${MATCH_START}borrow${MATCH_END} checker <b>${MATCH_START}rejects${MATCH_END}`)).toEqual({
      snippet: '…the borrow checker <b>rejects',
      highlights: [
        [5, 11],
        [23, 30],
      ],
    });
  });

  it('cuts a window around the first match for the LIKE fallback, case-insensitively', () => {
    const text = `${'filler words '.repeat(20)}the Penguin swims; penguins dive`;
    const { snippet, highlights } = snippetAround(text, ['penguin']);
    expect(snippet.startsWith('…')).toBe(true);
    expect(highlights.map(([start, end]) => snippet.slice(start, end))).toEqual(['Penguin', 'penguin']);
  });

  it('splits a search box into words and escapes LIKE wildcards', () => {
    expect(searchWords('  roast  "veg" -- ++ 42 ')).toEqual(['roast', 'veg', '42']);
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
