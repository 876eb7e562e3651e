import { describe, expect, it } from 'vitest';
import { claudeSelectionSettingsSchema, defaultClaudeModels } from '../../../src-shared/schemas/claude-selection';
import { chooseClaudeModel, classifyComplexity } from '../../../src-main/engine/complexity';

const defaults = claudeSelectionSettingsSchema.parse({});
const longCodingRequest = `We need to redesign the billing service. Think step by step about the architecture and the trade-offs.
1. First, read the existing module and list every place that writes invoices.
2. Then design a new interface for the ledger, with TypeScript types.
3. Then implement the migration and write unit tests for it.
4. Finally, prove that totals cannot drift during the cut-over.
\`\`\`ts
export function total(lines: Line[]): number {
  return lines.reduce((sum, line) => sum + line.amount, 0);
}
\`\`\`
Keep backwards compatibility with the v1 API, explain each decision, and point out risks we should test for.`;

describe('classifyComplexity', () => {
  it.each([
    { text: 'hi', tier: 'haiku' },
    { text: 'Thanks!', tier: 'haiku' },
    { text: 'what is the capital of France?', tier: 'haiku' },
    { text: 'Can you explain how this regex works: ^a+$ and when it would fail?', tier: 'sonnet' },
    { text: longCodingRequest, tier: 'opus' },
  ])('"$text" -> $tier', ({ text, tier }) => {
    expect(classifyComplexity({ text, hasAttachments: false, isTask: false, conversationTurns: 1 }).tier).toBe(tier);
  });

  it('gives plain-words reasons', () => {
    expect(classifyComplexity({ text: 'hi', hasAttachments: false, isTask: false, conversationTurns: 0 }).reasons).toEqual([
      'Short greeting',
    ]);
    const result = classifyComplexity({ text: longCodingRequest, hasAttachments: false, isTask: true, conversationTurns: 0 });
    expect(result.reasons).toEqual(expect.arrayContaining(['Contains code', 'Several steps', 'Background task']));
    expect(result.reasons.some((reason) => reason.startsWith('Asks for reasoning'))).toBe(true);
  });

  it('attachments make a short request harder', () => {
    const plain = classifyComplexity({ text: 'what is this?', hasAttachments: false, isTask: false, conversationTurns: 0 });
    const withImage = classifyComplexity({ text: 'what is this?', hasAttachments: true, isTask: false, conversationTurns: 0 });
    expect(withImage.score).toBeGreaterThan(plain.score);
    expect(withImage.tier).not.toBe('haiku');
  });

  it('is fast enough to run before every call', () => {
    const started = performance.now();
    for (let index = 0; index < 2_000; index += 1) {
      classifyComplexity({ text: longCodingRequest, hasAttachments: false, isTask: true, conversationTurns: 4 });
    }
    expect((performance.now() - started) / 2_000).toBeLessThan(0.2);
  });
});

describe('chooseClaudeModel', () => {
  const classify = (text: string, isTask: boolean) => classifyComplexity({ text, hasAttachments: false, isTask, conversationTurns: 2 });

  it.each([
    {
      name: 'hi in chat -> Haiku',
      text: 'hi',
      isTask: false,
      settings: {},
      model: defaultClaudeModels.haiku,
      reason: 'Short greeting -> Haiku',
    },
    {
      name: 'long multi-step coding task -> Opus',
      text: longCodingRequest,
      isTask: true,
      settings: {},
      model: defaultClaudeModels.opus,
      reason: /-> Opus$/,
    },
    {
      name: 'the same in chat with Opus only for tasks -> Sonnet',
      text: longCodingRequest,
      isTask: false,
      settings: {},
      model: defaultClaudeModels.sonnet,
      reason: /Sonnet \(Opus is kept for tasks\)/,
    },
    {
      name: 'the same in chat when Opus is allowed in chat -> Opus',
      text: longCodingRequest,
      isTask: false,
      settings: { opusOnlyForTasks: false },
      model: defaultClaudeModels.opus,
      reason: /-> Opus$/,
    },
    {
      name: 'hi with Haiku for short replies off -> Sonnet',
      text: 'hi',
      isTask: false,
      settings: { haikuForShortReplies: false },
      model: defaultClaudeModels.sonnet,
      reason: /Haiku for short replies is off/,
    },
    {
      name: 'forced Sonnet wins',
      text: longCodingRequest,
      isTask: true,
      settings: { mode: 'force', forcedTier: 'sonnet' },
      model: defaultClaudeModels.sonnet,
      reason: 'Set to always use Sonnet',
    },
    {
      name: 'forced Opus even for hi',
      text: 'hi',
      isTask: false,
      settings: { mode: 'force', forcedTier: 'opus' },
      model: defaultClaudeModels.opus,
      reason: 'Set to always use Opus',
    },
  ])('$name', ({ text, isTask, settings, model, reason }) => {
    const parsed = claudeSelectionSettingsSchema.parse(settings);
    const choice = chooseClaudeModel(classify(text, isTask), parsed, parsed.models, isTask);
    expect(choice.model).toBe(model);
    if (typeof reason === 'string') expect(choice.reason).toBe(reason);
    else expect(choice.reason).toMatch(reason);
  });

  it('settings default to auto, Haiku for short replies, Opus only for tasks and the current model ids', () => {
    expect(defaults).toEqual({ mode: 'auto', haikuForShortReplies: true, opusOnlyForTasks: true, models: { ...defaultClaudeModels } });
    expect(Object.values(defaultClaudeModels).every((id) => /^claude-(haiku|sonnet|opus)-\d/.test(id))).toBe(true);
  });

  it('uses the configured model ids', () => {
    const choice = chooseClaudeModel(classify('hi', false), defaults, { haiku: 'my-haiku', sonnet: 's', opus: 'o' }, false);
    expect(choice.model).toBe('my-haiku');
  });
});
