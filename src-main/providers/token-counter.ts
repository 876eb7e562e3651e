import type { TokenCounter } from '../engine/ports';

type EncodingName = 'o200k_base' | 'cl100k_base';
interface Encoder {
  encode(text: string): number[];
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

/**
 * Exact counts for OpenAI model families (js-tiktoken, loaded in the background so start-up stays
 * fast), and an estimate with a safety margin for the rest (Claude, Gemini, Llama...: no public
 * tokenizer ships for them).
 */
export function createTokenCounter(): TokenCounter & { warm(): Promise<void> } {
  const encoders = new Map<EncodingName, Encoder>();
  let loading: Promise<void> | null = null;
  const warm = () => {
    loading ??= (async () => {
      const { Tiktoken } = await import('js-tiktoken/lite');
      const [o200k, cl100k] = await Promise.all([import('js-tiktoken/ranks/o200k_base'), import('js-tiktoken/ranks/cl100k_base')]);
      encoders.set('o200k_base', new Tiktoken(o200k.default));
      encoders.set('cl100k_base', new Tiktoken(cl100k.default));
    })().catch(() => undefined);
    return loading;
  };
  return {
    warm,
    countTokens(text, model) {
      const encoding = encodingFor(model);
      const encoder = encoding ? encoders.get(encoding) : undefined;
      if (encoder) return encoder.encode(text).length;
      return Math.ceil((text.length / charactersPerToken) * safetyMargin);
    },
  };
}
