import { describe, expect, it } from 'vitest';
import type { RoutePlan } from '../../../src-shared/schemas/route-plan';
import { chatFallbackCandidates, selectCandidates } from '../../../src-main/engine/select-candidates';
import { config, connection, facts, health, input, now, request, rule, tier } from './helpers/fixtures';

const pairs = (plan: RoutePlan): string[] => plan.candidates.map((candidate) => `${candidate.connectionId}/${candidate.model}`);
const first = (plan: RoutePlan) => plan.candidates[0];

describe('selectCandidates: capability-aware routing (point 4)', () => {
  const textOnly = connection('cheap', { name: 'Cheap', models: [facts('cheap-model', { vision: false })] });
  const gemini = connection('gemini', {
    name: 'Gemini',
    models: [facts('gemini-model', { vision: true }), facts('gemini-pro', { vision: true })],
  });
  const openai = connection('openai', {
    name: 'OpenAI',
    models: [facts('openai-model', { vision: true }), facts('gpt-4o', { vision: true })],
  });
  const unknown = connection('mystery', { name: 'Mystery', models: [] });
  const tiers = [
    tier('standard', 0, [['openai', 'gpt-4o', 0]]),
    tier('vision', 1, [['gemini', 'gemini-pro', 0]], { preferredFor: 'vision' }),
  ];

  it('when no explicit candidate is left, picks a healthy connection that can do it, preferring the tier for that capability', () => {
    const plan = selectCandidates(
      input({
        connections: [unknown, textOnly, openai, gemini],
        primaryConnectionId: 'cheap',
        routing: config({ tiers }),
        request: request({ needs: ['vision'] }),
      }),
    );
    // Stops after three known fits; a model with unknown capabilities seen on the way goes last.
    expect(pairs(plan)).toEqual(['gemini/gemini-pro', 'openai/gpt-4o', 'openai/openai-model', 'mystery/mystery-model']);
    expect(plan.candidates.every((candidate) => candidate.source === 'capability')).toBe(true);
    expect(plan.candidates[3]?.notes[0]).toMatch(/unknown/);
    expect(first(plan)?.reason).toMatch(/tier "Vision", preferred for images/);
    expect(plan.skipped[0]).toMatchObject({ connectionId: 'cheap', source: 'primary', reason: 'missing_capability' });
  });

  it('sums up the models it passed over instead of listing each one', () => {
    const tooSmall = connection('small', { name: 'Small', models: [facts('small-model', { vision: true }, { contextWindow: 4_000 })] });
    const plan = selectCandidates(
      input({
        connections: [textOnly, tooSmall, gemini],
        primaryConnectionId: 'cheap',
        routing: config({ tiers }),
        request: request({ needs: ['vision'], estimatedInputTokens: 6_000 }),
      }),
    );
    expect(pairs(plan)).toEqual(['gemini/gemini-pro', 'gemini/gemini-model']);
    expect(plan.notes).toEqual([
      'Looking for any connection that can take this, passed over 1 connection: no longer connected, 1 model: cannot take a prompt this long',
    ]);
  });

  it('is not used while an explicit candidate is left', () => {
    const plan = selectCandidates(
      input({ connections: [textOnly, gemini], primaryConnectionId: 'cheap', routing: config({ tiers }), request: request() }),
    );
    expect(pairs(plan)).toEqual(['cheap/cheap-model']);
  });

  it('never picks a red, disabled or cloud (for local-only) connection', () => {
    const plan = selectCandidates(
      input({
        connections: [textOnly, { ...openai, enabled: false }, gemini],
        primaryConnectionId: 'cheap',
        routing: config({ tiers }),
        health: { gemini: health('gemini', 'red') },
        request: request({ needs: ['vision'] }),
      }),
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.pausedReason).toBe('Waiting for Gemini to recover');

    const localOnly = selectCandidates(
      input({
        connections: [textOnly, openai, gemini],
        primaryConnectionId: 'cheap',
        routing: config({ tiers }),
        request: request({ localOnly: true }),
      }),
    );
    expect(localOnly.candidates).toEqual([]);
    expect(localOnly.pausedReason).toMatch(/not sent: would leave this machine/i);
  });

  it('lists red connections it passed over once each (the work waits for them), and counts the rest', () => {
    const plan = selectCandidates(
      input({
        connections: [textOnly, openai, gemini],
        primaryConnectionId: 'cheap',
        routing: config({ tiers }),
        health: { gemini: health('gemini', 'red') },
        request: request({ needs: ['vision'], localOnly: true }),
      }),
    );
    expect(plan.skipped.map((skip) => `${skip.connectionId}:${skip.reason}`)).toEqual(['cheap:not_local']);
    expect(plan.notes[0]).toMatch(/passed over 2 connections: would leave this machine/);
    expect(plan.pausedReason).toBe('Not sent: would leave this machine; no local connection is available');

    const cloud = selectCandidates(
      input({
        connections: [textOnly, openai, gemini],
        primaryConnectionId: 'cheap',
        routing: config({ tiers }),
        health: { gemini: health('gemini', 'red') },
        request: request({ needs: ['vision'] }),
      }),
    );
    expect(cloud.skipped.filter((skip) => skip.connectionId === 'gemini')).toHaveLength(1);
    expect(cloud.waitingFor).toEqual([]);
    expect(cloud.candidates[0]?.connectionId).toBe('openai');
  });
});

describe('selectCandidates: when the capability pick happens, and work that can never run (point 4)', () => {
  const textOnly = connection('cheap', { name: 'Cheap', models: [facts('cheap-model', { vision: false })] });
  const seeing = connection('gemini', { name: 'Gemini', models: [facts('gemini-model', { vision: true })] });
  const cooling = { ...health('cheap', 'green'), coolOff: { until: now + 30_000, reason: 'Cheap is rate-limited' } };

  it('a red explicit candidate that could do the job makes the task wait: other connections stay idle', () => {
    const plan = selectCandidates(
      input({
        connections: [textOnly, seeing],
        primaryConnectionId: 'cheap',
        health: { cheap: health('cheap', 'red') },
        request: request(),
      }),
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.pausedReason).toBe('Waiting for Cheap to recover');
    expect(plan.waitingFor).toEqual(['cheap']);
    expect(plan.unroutable).toBeUndefined();
  });

  it('a cooling-off explicit candidate is waited for, not replaced', () => {
    const plan = selectCandidates(input({ connections: [textOnly, seeing], primaryConnectionId: 'cheap', health: { cheap: cooling } }));
    expect(plan.candidates).toEqual([]);
    expect(plan.standby.map((candidate) => candidate.connectionId)).toEqual(['cheap']);
  });

  it('"Use any healthy provider when nothing else can" lets a healthy connection stand in, and says so', () => {
    for (const cheapHealth of [health('cheap', 'red'), cooling]) {
      const plan = selectCandidates(
        input({
          connections: [textOnly, seeing],
          primaryConnectionId: 'cheap',
          health: { cheap: cheapHealth },
          request: request(),
          anyHealthyFallback: true,
        }),
      );
      expect(plan.candidates.map((candidate) => `${candidate.connectionId}:${candidate.source}`)).toEqual(['gemini:capability']);
      expect(plan.notes[0]).toMatch(/"Use any healthy provider when nothing else can" is on/);
    }
  });

  it('a red explicit candidate that lacks the capability anyway does not hold the work back', () => {
    const plan = selectCandidates(
      input({
        connections: [textOnly, seeing],
        primaryConnectionId: 'cheap',
        health: { cheap: health('cheap', 'red') },
        request: request({ needs: ['vision'] }),
      }),
    );
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['gemini']);
  });

  it('with no explicit candidate at all, nothing is picked unless the user opted in', () => {
    const plan = selectCandidates(input({ connections: [textOnly, seeing], primaryConnectionId: null }));
    expect(plan.candidates).toEqual([]);
    expect(plan.pausedReason).toBe('Nothing to route to: add a rule or a Primary connection');
    const opted = selectCandidates(input({ connections: [textOnly, seeing], primaryConnectionId: null, anyHealthyFallback: true }));
    expect(opted.candidates.map((candidate) => candidate.connectionId)).toEqual(['cheap', 'gemini']);
  });

  it.each([
    [
      'a capability no connection has',
      { connections: [textOnly], request: request({ needs: ['vision'] }) },
      'No connection has a model that can handle images (vision): add or enable a model that can, or remove what needs it',
    ],
    [
      'a prompt larger than every model allows',
      {
        connections: [connection('cheap', { models: [facts('cheap-model', {}, { contextWindow: 4_000 })] })],
        request: request({ estimatedInputTokens: 12_000 }),
      },
      'The prompt (about 12,000 tokens) is larger than every model allows (the largest takes 4,000): shorten it or add a model with a larger window',
    ],
    [
      'local-only work and no local connection',
      { connections: [textOnly, seeing], request: request({ localOnly: true }) },
      'This work is local-only and there is no local connection: add one (such as Ollama), or let this agent use cloud providers',
    ],
  ])('%s can never run, however healthy things become, and the plan says why', (_label, overrides, reason) => {
    // Red and turned off do not matter: they can change, the configuration cannot by itself.
    const plan = selectCandidates(
      input({ primaryConnectionId: 'cheap', health: { cheap: health('cheap', 'red') }, anyHealthyFallback: true, ...overrides }),
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.unroutable).toBe(reason);
  });

  it('a model of unknown capability or size might run, so the work is not failed for it', () => {
    const unknown = connection('mystery', { name: 'Mystery', models: [facts('mystery-model')] });
    const plan = selectCandidates(
      input({
        connections: [textOnly, { ...unknown, enabled: false }],
        primaryConnectionId: 'cheap',
        request: request({ needs: ['vision'], estimatedInputTokens: 5_000_000 }),
      }),
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.unroutable).toBeUndefined();
  });
});

describe('selectCandidates: chat', () => {
  const claudeConnection = connection('claude', { kind: 'anthropic', name: 'Claude', defaultModel: 'claude-sonnet-4-5' });
  const other = connection('deepseek', { name: 'DeepSeek' });
  const local = connection('ollama', { name: 'Ollama', baseUrl: 'http://192.168.1.20:11434' });
  const routing = config({ rules: [rule('d', 'default', 'deepseek', 0)], tiers: [tier('standard', 0, [['ollama', 'llama3', 0]])] });

  it('uses the Claude model selection on Primary, with its reason', () => {
    const plan = selectCandidates(
      input({
        connections: [claudeConnection],
        primaryConnectionId: 'claude',
        request: request({ kind: 'chat', primaryModel: { model: 'claude-haiku-4-5', reason: 'Short greeting -> Haiku' } }),
      }),
    );
    expect(plan.candidates).toEqual([
      expect.objectContaining({
        connectionId: 'claude',
        model: 'claude-haiku-4-5',
        source: 'primary',
        reason: 'Chat always uses Primary; Short greeting -> Haiku',
      }),
    ]);
  });

  it('a red Primary leaves chat with no candidate and a clear reason', () => {
    const plan = selectCandidates(
      input({
        connections: [claudeConnection, other],
        primaryConnectionId: 'claude',
        routing,
        health: { claude: health('claude', 'red') },
        request: request({ kind: 'chat' }),
      }),
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.pausedReason).toBe('Waiting for Claude to recover');
  });

  it('offers the next healthy backends for "Retry on X", never Primary', () => {
    const plan = chatFallbackCandidates(
      input({
        connections: [claudeConnection, other, local],
        primaryConnectionId: 'claude',
        routing,
        health: { claude: health('claude', 'red') },
        request: request({ kind: 'chat' }),
      }),
    );
    expect(pairs(plan)).toEqual(['deepseek/deepseek-model', 'ollama/llama3', 'ollama/ollama-model']);
    expect(plan.candidates.some((candidate) => candidate.connectionId === 'claude')).toBe(false);
  });

  it('chat fallback respects local-only and red health', () => {
    const plan = chatFallbackCandidates(
      input({
        connections: [claudeConnection, other, local],
        primaryConnectionId: 'claude',
        routing,
        health: { ollama: health('ollama', 'red') },
        request: request({ kind: 'chat', localOnly: true }),
      }),
    );
    expect(plan.candidates).toEqual([]);
  });
});
