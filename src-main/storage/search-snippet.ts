// Search results carry plain text plus highlight ranges, so the renderer never parses markup out of
// user content (which may itself contain brackets, asterisks or HTML).

/** Control characters FTS5 wraps matches in; they cannot come from typed text in practice. */
export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

export interface Snippet {
  snippet: string;
  highlights: Array<[number, number]>;
}

/** Strips FTS5 highlight markers, remembering where each match was. */
export function fromMarked(marked: string): Snippet {
  let snippet = '';
  const highlights: Array<[number, number]> = [];
  let start = -1;
  for (const character of marked) {
    if (character === MATCH_START) start = snippet.length;
    else if (character === MATCH_END) {
      if (start >= 0 && snippet.length > start) highlights.push([start, snippet.length]);
      start = -1;
    } else snippet += character;
  }
  return { snippet, highlights };
}

const CONTEXT_BEFORE = 40;
const SNIPPET_LENGTH = 160;

/** A window of `text` around the first match of any word, with every match in it highlighted. */
export function snippetAround(text: string, words: readonly string[]): Snippet {
  const lower = text.toLowerCase();
  const lowerWords = words.map((word) => word.toLowerCase()).filter((word) => word.length > 0);
  const first = Math.min(...lowerWords.map((word) => lower.indexOf(word)).filter((index) => index >= 0), text.length);
  const begin = first === text.length ? 0 : Math.max(0, first - CONTEXT_BEFORE);
  const end = Math.min(text.length, begin + SNIPPET_LENGTH);
  const prefix = begin > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const window = text.slice(begin, end).replace(/\s+/g, ' ');
  const windowLower = window.toLowerCase();
  const highlights: Array<[number, number]> = [];
  for (const word of lowerWords) {
    for (let index = windowLower.indexOf(word); index >= 0; index = windowLower.indexOf(word, index + word.length)) {
      highlights.push([prefix.length + index, prefix.length + index + word.length]);
    }
  }
  highlights.sort((left, right) => left[0] - right[0]);
  return { snippet: `${prefix}${window}${suffix}`, highlights };
}
