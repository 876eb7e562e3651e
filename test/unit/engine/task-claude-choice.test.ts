import { describe, expect, it } from 'vitest';
import { claudeSelectionSettingsSchema } from '../../../src-shared/schemas/claude-selection';
import { chooseChatClaudeModel, chooseTaskClaudeModel } from '../../../src-main/engine/complexity';

const selection = claudeSelectionSettingsSchema.parse({});
const hard =
  'Design and implement a distributed rate limiter: first analyse the trade-offs of token bucket versus sliding window, ' +
  'then write the code step by step, refactor the storage layer, add tests for concurrency, and explain the architecture in detail.';

describe('Claude tiers for tasks', () => {
  it('a short instruction gets Haiku', () => {
    expect(chooseTaskClaudeModel({ primaryKind: 'anthropic', selection, instruction: 'Say hi', hasAttachments: false })).toMatchObject({
      tier: 'haiku',
      model: selection.models.haiku,
    });
  });

  it('with "Opus only for tasks" on, a hard task gets Opus where the same chat request gets Sonnet', () => {
    const task = chooseTaskClaudeModel({ primaryKind: 'anthropic', selection, instruction: hard, hasAttachments: false });
    expect(task).toMatchObject({ tier: 'opus', model: selection.models.opus });
    const chat = chooseChatClaudeModel({ primaryKind: 'anthropic', selection, messages: [{ role: 'user', content: hard }] });
    expect(chat?.tier).toBe('sonnet');
    expect(chat?.reason).toContain('Opus is kept for tasks');
  });

  it('forced tier and a non-Anthropic Primary', () => {
    const forced = { ...selection, mode: 'force' as const, forcedTier: 'sonnet' as const };
    expect(chooseTaskClaudeModel({ primaryKind: 'anthropic', selection: forced, instruction: hard, hasAttachments: false })?.tier).toBe(
      'sonnet',
    );
    expect(chooseTaskClaudeModel({ primaryKind: 'openai', selection, instruction: hard, hasAttachments: false })).toBeUndefined();
  });
});
