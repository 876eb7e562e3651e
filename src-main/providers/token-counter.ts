import type { TokenCounter } from '../engine/ports';

type EncodingName = 'o200k_base' | 'cl100k_base';

/** A tiktoken rank file as js-tiktoken ships it: the split pattern and the base64 byte sequences by rank. */
interface RankFile {
  pat_str: string;
  bpe_ranks: string;
}

/** Which OpenAI tokenizer a model family uses; null where no public tokenizer exists. */
export function encodingFor(model: string | undefined): EncodingName | null {
  if (!model) return null;
  const id = model.toLowerCase().replace(/^.*\//, '');
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|chatgpt-4o)/.test(id)) return 'o200k_base';
  if (/^(gpt-4|gpt-3\.5)/.test(id)) return 'cl100k_base';
  return null;
}

const charactersPerToken = 3.5;
const safetyMargin = 1.1;
const asciiOnly = /^[\0-\x7f]*$/;

/**
 * A byte-pair encoder that only counts: the same split pattern and merges as tiktoken (js-tiktoken's
 * algorithm), with each byte sequence kept as one latin1 string in one Map. js-tiktoken keeps a
 * Uint8Array per rank and a second Map for decoding: about 100 MB of heap for the two encodings,
 * which every full garbage collection of the process (Electron main, the gateway) walks again.
 */
export function createCountingEncoder(ranks: RankFile): { count(text: string): number } {
  const rankOf = new Map<string, number>();
  for (const line of ranks.bpe_ranks.split('\n')) {
    if (!line) continue;
    const [, offsetText, ...tokens] = line.split(' ');
    const offset = Number.parseInt(offsetText!, 10);
    for (let index = 0; index < tokens.length; index += 1) {
      rankOf.set(Buffer.from(tokens[index]!, 'base64').toString('latin1'), offset + index);
    }
  }
  const pattern = new RegExp(ranks.pat_str, 'ug');

  /** Tokens of one piece not in the table as a whole: merge the lowest-ranked pair until none is left. */
  const mergedCount = (piece: string): number => {
    // Part boundaries: part i is piece.slice(bounds[i], bounds[i + 1]).
    const bounds = Array.from({ length: piece.length + 1 }, (_, index) => index);
    while (bounds.length > 2) {
      let lowest = -1;
      let at = -1;
      for (let index = 0; index < bounds.length - 2; index += 1) {
        const rank = rankOf.get(piece.slice(bounds[index], bounds[index + 2]));
        if (rank !== undefined && (lowest === -1 || rank < lowest)) {
          lowest = rank;
          at = index;
        }
      }
      if (at === -1) break;
      bounds.splice(at + 1, 1);
    }
    let count = 0;
    for (let index = 0; index < bounds.length - 1; index += 1) {
      if (rankOf.has(piece.slice(bounds[index], bounds[index + 1]))) count += 1;
    }
    return count;
  };

  return {
    count(text) {
      let count = 0;
      for (const match of text.matchAll(pattern)) {
        const piece = asciiOnly.test(match[0]) ? match[0] : Buffer.from(match[0], 'utf8').toString('latin1');
        if (piece.length === 1 || rankOf.has(piece)) count += 1;
        else count += mergedCount(piece);
      }
      return count;
    },
  };
}

/**
 * Exact counts for OpenAI model families (tiktoken's ranks, loaded in the background so start-up
 * stays fast), and an estimate with a safety margin for the rest (Claude, Gemini, Llama...: no
 * public tokenizer ships for them).
 */
export function createTokenCounter(): TokenCounter & { warm(): Promise<void> } {
  const encoders = new Map<EncodingName, { count(text: string): number }>();
  let loading: Promise<void> | null = null;
  const warm = () => {
    loading ??= (async () => {
      const [o200k, cl100k] = await Promise.all([import('js-tiktoken/ranks/o200k_base'), import('js-tiktoken/ranks/cl100k_base')]);
      encoders.set('o200k_base', createCountingEncoder(o200k.default));
      encoders.set('cl100k_base', createCountingEncoder(cl100k.default));
    })().catch(() => undefined);
    return loading;
  };
  return {
    warm,
    countTokens(text, model) {
      const encoding = encodingFor(model);
      const encoder = encoding ? encoders.get(encoding) : undefined;
      if (encoder) return encoder.count(text);
      return Math.ceil((text.length / charactersPerToken) * safetyMargin);
    },
  };
}
