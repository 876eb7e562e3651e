import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { createCountingEncoder } from '../../../src-main/providers/token-counter';

// Texts that exercise the split pattern and the merges: prose, code, numbers, runs of spaces and
// newlines, accents, CJK, emoji (4-byte UTF-8), and rare byte sequences that need many merges.
const texts = [
  '',
  'Say hello.',
  'Switchboard routes every call to the right provider.',
  '  leading spaces,\ttabs\n\n\nand  double  spaces   at the end   ',
  'function add(a: number, b: number): number {\n  return a + b; // 42\n}\n',
  'Prices: $1,234.56 on 2026-12-02 at 14:05:09Z; 1e-9; 0x1F; 3.14159265358979',
  'Ça coûte 12 € — déjà vu, naïve façade, Straße, Ελληνικά, русский текст.',
  '東京は日本の首都です。我喜欢编程。안녕하세요, 세계!',
  'Emoji 👩‍💻🚀🇫🇷 and symbols ∑∫√≈≠ ←→ ™©®',
  'https://example.com/path?query=a%20b&x=1#frag <div class="x">&amp;</div>',
  'Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis',
  'zqxjkvbw wqzx qqqqqqqqqqqqqqqqqqqqqqqq xkcd7f9e8d0c1b2a3',
  'The <|endoftext|> marker is plain text here.'.replace('<|endoftext|>', '<|end|>'),
  `${'All work and no play. '.repeat(200)}`,
];

describe('the counting encoder', () => {
  for (const [name, ranks] of [
    ['o200k_base', o200k],
    ['cl100k_base', cl100k],
  ] as const) {
    it(`counts exactly what js-tiktoken's ${name} encoder counts`, { timeout: 60_000 }, () => {
      const reference = new Tiktoken(ranks);
      const counting = createCountingEncoder(ranks);
      for (const text of texts) expect({ text, count: counting.count(text) }).toEqual({ text, count: reference.encode(text).length });
    });
  }
});
