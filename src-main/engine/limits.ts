import type { ChatMessage, ContentPart } from '../../src-shared/schemas/chat-message';
import type { ModelFacts } from '../../src-shared/schemas/connection';
import type { TierEntry } from '../../src-shared/schemas/routing';
import type { TokenCounter } from './ports';

/** Roles, separators and reply priming cost a few tokens per message on every provider. */
export const tokensPerMessage = 4;
/** Providers bill images by size; this is a deliberately high middle ground. */
export const tokensPerImage = 1_000;
/** Without a tokenizer, prose averages about 3.5 characters per token. */
export const charactersPerToken = 3.5;
/** Character counts under-estimate code and non-Latin text, so the fallback errs high. */
export const estimateSafetyMargin = 1.1;

/** What an input-size estimate needs to know about a call. */
export interface TokenEstimateRequest {
  system?: string;
  messages: readonly ChatMessage[];
  model?: string;
}

function textParts(content: ChatMessage['content']): { texts: string[]; images: number } {
  if (typeof content === 'string') return { texts: [content], images: 0 };
  const texts: string[] = [];
  let images = 0;
  for (const part of content as readonly ContentPart[]) {
    if (part.type === 'text') texts.push(part.text);
    else images += 1;
  }
  return { texts, images };
}

/**
 * Tokens the prompt will take, for the max-input check before sending. With a counter the
 * text is counted exactly; without one it is estimated from characters with a safety margin.
 */
export function estimateInputTokens(request: TokenEstimateRequest, counter?: TokenCounter): number {
  const texts: string[] = request.system ? [request.system] : [];
  let images = 0;
  for (const message of request.messages) {
    const parts = textParts(message.content);
    texts.push(...parts.texts);
    images += parts.images;
  }
  const overhead = (request.messages.length + (request.system ? 1 : 0)) * tokensPerMessage + images * tokensPerImage;
  if (counter) {
    let counted = 0;
    for (const text of texts) counted += counter.countTokens(text, request.model);
    return counted + overhead;
  }
  let characters = 0;
  for (const text of texts) characters += text.length;
  return Math.ceil((characters / charactersPerToken + overhead) * estimateSafetyMargin);
}

/**
 * The most input a model may be sent: the smallest of the user's limit on the model, its
 * context window, the context a local server runs it with and the tier entry's limit. Null
 * when nothing is known.
 */
export function effectiveMaxInput(
  facts: Pick<ModelFacts, 'maxInputTokens' | 'contextWindow' | 'runContextTokens'> | null | undefined,
  tierEntry?: Pick<TierEntry, 'maxInputTokens'> | null,
): number | null {
  const modelLimit = smaller(smaller(facts?.maxInputTokens ?? null, facts?.contextWindow ?? null), facts?.runContextTokens ?? null);
  return smaller(modelLimit, tierEntry?.maxInputTokens ?? null);
}

function smaller(left: number | null, right: number | null): number | null {
  if (left === null) return right;
  return right === null || left <= right ? left : right;
}

/** Token counts a provider reported for one call; cache counts are part of the input tokens. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

type Prices = Pick<ModelFacts, 'inputPricePerMillion' | 'outputPricePerMillion'> &
  Partial<Pick<ModelFacts, 'cacheReadPricePerMillion' | 'cacheWritePricePerMillion'>>;

/**
 * Cost in USD from the model's prices; null when a needed price is unknown. Cached input is priced
 * at the cache read / write price where one is known, else as ordinary input.
 */
export function costUsd(usage: TokenUsage, facts: Prices | null | undefined): number | null {
  if (!facts) return null;
  const inputPrice = facts.inputPricePerMillion;
  const outputPrice = facts.outputPricePerMillion;
  // A missing price only matters when there are tokens to price.
  if (usage.inputTokens > 0 && inputPrice === null) return null;
  if (usage.outputTokens > 0 && outputPrice === null) return null;
  const cacheRead = Math.min(usage.cacheReadTokens ?? 0, usage.inputTokens);
  const cacheWrite = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cacheRead);
  const plainInput = usage.inputTokens - cacheRead - cacheWrite;
  const input = inputPrice ?? 0;
  const micro =
    plainInput * input +
    cacheRead * (facts.cacheReadPricePerMillion ?? input) +
    cacheWrite * (facts.cacheWritePricePerMillion ?? input) +
    usage.outputTokens * (outputPrice ?? 0);
  return micro / 1_000_000;
}

/** Share of a monthly cap at which the user is warned that the cap is near. */
export const budgetWarningShare = 0.8;

/**
 * Where a connection's month-to-date spend stands against its monthly cap: "none" without a cap,
 * "near" from 80%, "over" once the cap is reached (routing then skips it for tasks and gateway calls).
 */
export function budgetLevel(spentUsd: number, capUsd: number | null): 'none' | 'ok' | 'near' | 'over' {
  if (capUsd === null) return 'none';
  if (spentUsd >= capUsd) return 'over';
  return spentUsd >= capUsd * budgetWarningShare ? 'near' : 'ok';
}
