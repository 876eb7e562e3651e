import { describe, expect, it } from 'vitest';
import type { RoutePlan } from '../../../src-shared/schemas/route-plan';
import { chatFallbackCandidates, selectCandidates } from '../../../src-main/engine/select-candidates';
import { config, connection, facts, health, input, request, rule, tier } from './helpers/fixtures';

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
