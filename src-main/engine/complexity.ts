import type { ClaudeModelIds, ClaudeSelectionSettings, ClaudeTier } from '../../src-shared/schemas/claude-selection';
import { messageHasImage, messageText, type ChatMessage } from '../../src-shared/schemas/chat-message';

/** What the classifier looks at; cheap to gather before every call. */
export interface ComplexityInput {
  text: string;
  hasAttachments: boolean;
  isTask: boolean;
  /** Messages so far in the conversation. */
  conversationTurns: number;
}

/** The classifier's verdict, with the plain-words reasons behind the score. */
export interface ComplexityResult {
  tier: ClaudeTier;
  /** 0 (trivial) to 100 (hardest). */
  score: number;
  reasons: string[];
}

/** Scores below this stay on Haiku. */
export const haikuBelow = 15;
/** Scores from this up go to Opus. */
export const opusFrom = 50;

const greeting =
  /^(hi|hello|hey|hiya|yo|thanks|thank you|thx|ok|okay|cool|great|yes|no|sure|bye|good (morning|afternoon|evening|night))[\s!.?,:)]*$/i;
const codeFence = /```/;
const codeCue =
  /\b(function|class|def|import|const|stack trace|traceback|exception|compile[sd]?|refactor|implement|debug|bug|regex|sql|endpoint|typescript|python|javascript|rust|golang|unit tests?|api)\b|[{};]\s*$|=>/im;
const reasoningCue =
  /\b(prove|proof|step by step|step-by-step|design|architecture|architect|trade-?offs?|analy[sz]e|derive|optimi[sz]e|algorithm|reason about|evaluate|strategy)\b/gi;
const numberedLine = /^\s*(\d+[.)]|[-*•])\s+\S/gm;
const sequenceCue = /\b(then|after that|afterwards|finally|next|first)\b/gi;

function lengthPoints(length: number): [number, string | null] {
  if (length > 8_000) return [40, 'Very long request'];
  if (length > 2_000) return [30, 'Long request'];
  if (length > 600) return [20, 'Long request'];
  if (length > 120) return [10, null];
  return [0, null];
}

function distinctMatches(text: string, pattern: RegExp): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(pattern)) found.add(match[0].toLowerCase());
  return [...found];
}

/** A fast, explainable guess at how hard a request is, for picking Haiku, Sonnet or Opus. */
export function classifyComplexity(input: ComplexityInput): ComplexityResult {
  const text = input.text.trim();
  if (!input.hasAttachments && greeting.test(text)) {
    return { tier: 'haiku', score: 0, reasons: ['Short greeting'] };
  }
  const reasons: string[] = [];
  let score = 0;

  const [length, lengthReason] = lengthPoints(text.length);
  score += length;

  // Anything about code or with an attachment is past what Haiku is for.
  if (codeFence.test(text)) {
    score += 25;
    reasons.push('Contains code');
  } else if (codeCue.test(text)) {
    score += 15;
    reasons.push('About code');
  }

  const reasoning = distinctMatches(text, reasoningCue);
  if (reasoning.length > 0) {
    score += Math.min(reasoning.length * 12, 36);
    reasons.push(`Asks for reasoning (${reasoning.slice(0, 3).join(', ')})`);
  }

  const listLines = text.match(numberedLine)?.length ?? 0;
  const sequence = distinctMatches(text, sequenceCue).length;
  if (listLines >= 2 || sequence >= 2) {
    score += 15;
    reasons.push('Several steps');
  }

  if (input.hasAttachments) {
    score += 15;
    reasons.push('Has attachments');
  }
  if (input.isTask) {
    score += 10;
    reasons.push('Background task');
  }
  if (input.conversationTurns > 12) {
    score += 5;
    reasons.push('Long conversation');
  }
  if (lengthReason) reasons.push(lengthReason);

  score = Math.min(score, 100);
  if (reasons.length === 0) reasons.push(text.length <= 120 ? 'Short, simple request' : 'Everyday request');
  const tier: ClaudeTier = score < haikuBelow ? 'haiku' : score < opusFrom ? 'sonnet' : 'opus';
  return { tier, score, reasons };
}

const tierNames: Record<ClaudeTier, string> = { haiku: 'Haiku', sonnet: 'Sonnet', opus: 'Opus' };

/** The chosen Claude model and the words for "Why this model?". */
export interface ClaudeChoice {
  tier: ClaudeTier;
  model: string;
  reason: string;
}

/** The selection switches that matter here (ClaudeSelectionSettings without the model ids). */
export type ClaudeChoiceSettings = Pick<ClaudeSelectionSettings, 'mode' | 'forcedTier' | 'haikuForShortReplies' | 'opusOnlyForTasks'>;

/** Applies the user's Claude model selection settings to the classifier's verdict. */
export function chooseClaudeModel(
  classification: ComplexityResult,
  settings: ClaudeChoiceSettings,
  models: ClaudeModelIds,
  isTask: boolean,
): ClaudeChoice {
  const pick = (tier: ClaudeTier, reason: string): ClaudeChoice => ({ tier, model: models[tier], reason });
  if (settings.mode === 'force') {
    const tier = settings.forcedTier ?? 'sonnet';
    return pick(tier, `Set to always use ${tierNames[tier]}`);
  }
  const why = classification.reasons.slice(0, 2).join(', ') || 'Everyday request';
  if (classification.tier === 'opus' && settings.opusOnlyForTasks && !isTask) {
    return pick('sonnet', `${why} -> Sonnet (Opus is kept for tasks)`);
  }
  if (classification.tier === 'haiku' && !settings.haikuForShortReplies) {
    return pick('sonnet', `${why} -> Sonnet (Haiku for short replies is off)`);
  }
  return pick(classification.tier, `${why} -> ${tierNames[classification.tier]}`);
}

/** What chat's Claude choice looks at: the Primary's kind, the user's selection settings and the conversation. */
export interface ChatClaudeInput {
  primaryKind: string | undefined;
  selection: ClaudeSelectionSettings;
  messages: readonly ChatMessage[];
}

/**
 * Chat's Claude model (Haiku / Sonnet / Opus), made here once for the chat window and the gateway's
 * `switchboard/primary`: undefined unless Primary is Anthropic and someone has asked something.
 * The last user turn is scored; an image anywhere in the conversation counts, since the whole
 * conversation (images included) goes to the model.
 */
export function chooseChatClaudeModel(input: ChatClaudeInput): ClaudeChoice | undefined {
  if (input.primaryKind !== 'anthropic') return undefined;
  const lastUser = input.messages.findLast((message) => message.role === 'user');
  if (!lastUser) return undefined;
  const classification = classifyComplexity({
    text: messageText(lastUser),
    hasAttachments: input.messages.some(messageHasImage),
    isTask: false,
    conversationTurns: input.messages.length,
  });
  return chooseClaudeModel(classification, input.selection, input.selection.models, false);
}

/**
 * A task's Claude model when Primary is Anthropic and the task names no route or tier: the same
 * Haiku / Sonnet / Opus choice as chat, scored as a task, so "Opus only for tasks" lets Opus through.
 */
export function chooseTaskClaudeModel(input: {
  primaryKind: string | undefined;
  selection: ClaudeSelectionSettings;
  instruction: string;
  hasAttachments: boolean;
}): ClaudeChoice | undefined {
  if (input.primaryKind !== 'anthropic') return undefined;
  const classification = classifyComplexity({
    text: input.instruction,
    hasAttachments: input.hasAttachments,
    isTask: true,
    conversationTurns: 1,
  });
  return chooseClaudeModel(classification, input.selection, input.selection.models, true);
}
