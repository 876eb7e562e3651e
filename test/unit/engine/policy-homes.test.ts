import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../src-shared/schemas/chat-message';
import { claudeSelectionSettingsSchema } from '../../../src-shared/schemas/claude-selection';
import { summarize } from '../../../src-main/engine/call-summary';
import { chooseChatClaudeModel } from '../../../src-main/engine/complexity';
import { withAgentNeeds } from '../../../src-main/engine/needs';
import { selectCandidates } from '../../../src-main/engine/select-candidates';
import { answer, failWith } from './helpers/scripted-adapter';
import { candidate, harness, planOf } from './helpers/execution';
import { config, connection, facts, input, request } from './helpers/fixtures';

const selection = claudeSelectionSettingsSchema.parse({});
const image = { type: 'image' as const, mediaType: 'image/png' as const, data: 'iVBORw0KGgo=' };

describe('chat’s Claude model choice (one home for chat and the gateway)', () => {
  const choose = (messages: ChatMessage[], primaryKind: string | undefined = 'anthropic') =>
    chooseChatClaudeModel({ primaryKind, selection, messages });

  it.each<[string, ChatMessage[], string | undefined]>([
    ['a greeting stays on Haiku', [{ role: 'user', content: 'hi' }], 'claude-haiku-4-5'],
    [
      'an image in the last question counts',
      [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, image] }],
      'claude-sonnet-4-6',
    ],
    [
      'an image earlier in the conversation counts too: the model still reads it',
      [
        { role: 'user', content: [{ type: 'text', text: 'look' }, image] },
        { role: 'assistant', content: 'A cat.' },
        { role: 'user', content: 'what is this?' },
      ],
      'claude-sonnet-4-6',
    ],
    ['no question yet: no choice', [{ role: 'assistant', content: 'Hello' }], undefined],
  ])('%s', (_name, messages, model) => {
    expect(choose(messages)?.model).toBe(model);
  });

  it('is only made when Primary is Anthropic', () => {
    expect(choose([{ role: 'user', content: 'hi' }], 'openai')).toBeUndefined();
    expect(chooseChatClaudeModel({ primaryKind: undefined, selection, messages: [{ role: 'user', content: 'hi' }] })).toBeUndefined();
  });
});

describe('an agent’s needs are merged into the request once, by the engine', () => {
  it.each([
    [{ needs: [], localOnly: false }, { requiredCapabilities: ['vision' as const], localOnly: false }, ['vision'], false],
    [{ needs: ['vision' as const], localOnly: false }, { requiredCapabilities: ['vision' as const], localOnly: true }, ['vision'], true],
    [{ needs: ['tools' as const], localOnly: true }, { requiredCapabilities: [], localOnly: false }, ['tools'], true],
  ])('%j with agent %j -> %j, local-only %s', (given, agent, needs, localOnly) => {
    expect(withAgentNeeds(given, agent)).toEqual({ needs, localOnly });
  });

  it('routes an agent’s task by its needs without the caller repeating them', () => {
    const cloud = connection('cloud', { defaultModel: 'm', models: [facts('m', { vision: false })] });
    const seeing = connection('seeing', { defaultModel: 'v', models: [facts('v', { vision: true })] });
    const agents = [{ ...input({}).agents[0]!, name: 'looker', requiredCapabilities: ['vision' as const] }];
    const plan = selectCandidates(
      input({
        connections: [cloud, seeing],
        primaryConnectionId: 'cloud',
        routing: config(),
        agents,
        request: request({ kind: 'task', agent: 'looker', needs: [] }),
      }),
    );
    expect(plan.candidates.map((item) => item.connectionId)).toEqual(['seeing']);
    expect(plan.skipped.map((skip) => skip.reason)).toContain('missing_capability');
  });
});

describe('summarize(events): who answered and how', () => {
  it('names the candidate that answered after a fallback, with its version, usage and attempts', async () => {
    const { run } = harness({ a: [failWith('auth_invalid')], b: [answer('Hello there', 'b-2025')] });
    const summary = summarize(await run(planOf(candidate('a'), candidate('b'))));
    expect(summary).toMatchObject({
      attempts: 2,
      fallbacks: 1,
      connectionId: 'b',
      modelVersion: 'b-2025',
      text: 'Hello there',
      error: undefined,
    });
    expect(summary.finish?.text).toBe('Hello there');
    expect(summary.fallbackNote).toMatch(/^Answered by .* because .*invalid API key/);
  });

  it('reports a call with nothing left as an error, from the last candidate tried', async () => {
    const { run } = harness({ a: [failWith('bad_request')] });
    const summary = summarize(await run(planOf(candidate('a'))));
    expect(summary.finish).toBeUndefined();
    expect(summary.error?.code).toBe('bad_request');
    expect(summary.connectionId).toBe('a');
  });
});
