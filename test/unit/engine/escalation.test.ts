import { describe, expect, it } from 'vitest';
import { appError } from '../../../src-shared/errors/app-error';
import {
  activePreference,
  clearEscalation,
  defaultEscalationMemoryMs,
  nextStrongerCandidate,
  pruneEscalations,
  recordEscalation,
} from '../../../src-main/engine/escalation';
import {
  selectCandidates,
  strongerCandidate,
  chatFallbackCandidates,
  type SelectCandidatesInput,
} from '../../../src-main/engine/select-candidates';
import { answer, failWith } from './helpers/scripted-adapter';
import { config, connection, ending, facts, health, input, now, request, rule, tier } from './helpers/fixtures';
import { candidate, harness, hello, trace } from './helpers/execution';

const cheap = { connectionId: 'deepseek', model: 'deepseek-chat' };
const strong = { connectionId: 'claude', model: 'claude-opus' };

describe('escalation memory', () => {
  it('remembers the stronger backend for 6 hours by default, then forgets', () => {
    const memory = recordEscalation({}, 'planner', cheap, strong, now);
    expect(activePreference(memory, 'planner', now + 1)?.to).toEqual(strong);
    expect(activePreference(memory, 'planner', now + defaultEscalationMemoryMs - 1)).toBeDefined();
    expect(activePreference(memory, 'planner', now + defaultEscalationMemoryMs)).toBeUndefined();
    expect(activePreference(memory, 'builder', now)).toBeUndefined();
  });

  it('is immutable: recording and clearing return new memories', () => {
    const empty = {};
    const memory = recordEscalation(empty, 'planner', cheap, strong, now, 1_000);
    expect(empty).toEqual({});
    expect(clearEscalation(memory, 'planner')).toEqual({});
    expect(memory.planner).toBeDefined();
    expect(pruneEscalations(memory, now + 1_000)).toEqual({});
    expect(pruneEscalations(memory, now + 999)).toEqual(memory);
  });

  it('forgets expired preferences when the next one is recorded, so the stored memory does not grow', () => {
    const old = recordEscalation({}, 'planner', cheap, strong, now, 1_000);
    const both = recordEscalation(old, 'builder', cheap, strong, now + 500, 1_000);
    expect(Object.keys(both).sort()).toEqual(['builder', 'planner']);
    const later = recordEscalation(both, 'research', cheap, strong, now + 1_200, 1_000);
    expect(Object.keys(later).sort()).toEqual(['builder', 'research']);
  });
});

describe('nextStrongerCandidate', () => {
  const tiers = [
    tier('enterprise', 2, [['claude', 'claude-opus', 0]]),
    tier('standard', 0, [
      ['deepseek', 'deepseek-chat', 0],
      ['openai', 'gpt-4o-mini', 1],
    ]),
    tier('premium', 1, [
      ['claude', 'claude-sonnet', 1],
      ['openai', 'gpt-4o', 0],
    ]),
  ];
  const routing = config({ tiers });

  it.each([
    { from: cheap, expected: { connectionId: 'openai', model: 'gpt-4o', tierId: 'premium', via: 'tier' } },
    {
      from: { connectionId: 'openai', model: 'gpt-4o' },
      expected: { connectionId: 'claude', model: 'claude-opus', tierId: 'enterprise', via: 'tier' },
    },
  ])('standard -> premium -> enterprise ($from.model)', ({ from, expected }) => {
    expect(nextStrongerCandidate(routing, [], from)).toMatchObject(expected);
  });

  it('skips entries the caller cannot use, then the rest of the next tier', () => {
    const choice = nextStrongerCandidate(routing, [], cheap, (option) => option.connectionId !== 'openai');
    expect(choice).toMatchObject({ connectionId: 'claude', model: 'claude-sonnet', tierId: 'premium' });
  });

  it('outside the ladder, or at its top, the next candidate of the plan', () => {
    const plan = [candidate('a'), candidate('b'), candidate('c')];
    expect(nextStrongerCandidate(routing, plan, { connectionId: 'a', model: 'a-model' })).toMatchObject({
      connectionId: 'b',
      via: 'next-candidate',
    });
    const top = [candidate('claude', { model: 'claude-opus' }), candidate('z')];
    expect(nextStrongerCandidate(routing, top, strong)).toMatchObject({ connectionId: 'z', via: 'next-candidate' });
    expect(nextStrongerCandidate(routing, [candidate('a')], { connectionId: 'a', model: 'a-model' })).toBeUndefined();
  });
});

describe('auto-escalation end to end (DESIGN.md point 7)', () => {
  const deepseek = connection('deepseek', { name: 'DeepSeek', defaultModel: 'deepseek-chat', models: [facts('deepseek-chat')] });
  const claude = connection('claude', {
    name: 'Claude',
    defaultModel: 'claude-sonnet',
    models: [facts('claude-sonnet'), facts('claude-opus')],
  });
  const ollama = connection('ollama', {
    name: 'Ollama',
    baseUrl: 'http://localhost:11434',
    defaultModel: 'llama3',
    models: [facts('llama3')],
  });
  const tiers = [
    tier('standard', 0, [['deepseek', 'deepseek-chat', 0]]),
    tier('premium', 1, [['claude', 'claude-sonnet', 0]]),
    tier('enterprise', 2, [['claude', 'claude-opus', 0]]),
  ];
  const base = (overrides: Partial<SelectCandidatesInput> = {}): SelectCandidatesInput =>
    input({
      connections: [deepseek, claude, ollama],
      primaryConnectionId: 'deepseek',
      routing: config({ tiers, rules: [rule('p', 'agent:planner', 'deepseek', 0)] }),
      request: request({ agent: 'planner' }),
      ...overrides,
    });

  it('a malformed answer is retried once on the stronger tier, and the agent then prefers it', async () => {
    const selection = base();
    const plan = selectCandidates(selection);
    expect(plan.candidates[0]?.connectionId).toBe('deepseek');
    const h = harness({ deepseek: [answer('not json')], claude: [answer('{"steps":[]}')] });
    const events = await h.run(
      plan,
      { ...hello, rejectEmpty: true },
      {
        validateAnswer: (text) => (text.startsWith('{') ? undefined : appError('schema_mismatch', 'Not JSON')),
        strongerCandidate: (current, currentPlan) => strongerCandidate(selection, currentPlan, current),
      },
    );
    expect(trace(events).filter((line) => !line.startsWith('text'))).toEqual([
      'start deepseek#1',
      'error deepseek#1 schema_mismatch',
      'fallback deepseek->claude (schema_mismatch) escalation',
      'start claude#1',
      'finish claude "{"steps":[]}"',
    ]);
    const finish = ending(events);
    if (finish.type !== 'finish' || !finish.escalatedFrom) throw new Error('expected an escalated finish');
    expect(finish.model).toBe('claude-sonnet');

    const memory = recordEscalation({}, 'planner', finish.escalatedFrom, finish, now);
    const next = selectCandidates(base({ escalation: memory, now: now + 60_000 }));
    expect(next.candidates[0]).toMatchObject({ connectionId: 'claude', model: 'claude-sonnet', source: 'escalation' });
    expect(next.candidates[1]).toMatchObject({ connectionId: 'deepseek', source: 'agent-rule' });
    // Other agents are not affected.
    expect(selectCandidates(base({ escalation: memory, request: request({ agent: 'builder' }) })).candidates[0]?.connectionId).toBe(
      'deepseek',
    );
  });

  it('an answer already streamed to a caller that cannot take a second one ends with the failure, not escalated', async () => {
    const selection = base();
    const h = harness({ deepseek: [answer('not json')], claude: [answer('{"steps":[]}')] });
    const events = await h.run(
      selectCandidates(selection),
      { ...hello, continueAfterInterruption: false },
      {
        validateAnswer: (text) =>
          text.startsWith('{') ? undefined : appError('schema_mismatch', 'DeepSeek did not answer with valid JSON'),
        strongerCandidate: (current, currentPlan) => strongerCandidate(selection, currentPlan, current),
      },
    );
    expect(ending(events)).toMatchObject({
      type: 'error',
      error: { code: 'schema_mismatch', message: 'DeepSeek did not answer with valid JSON' },
    });
    expect(h.adapter('claude').requests).toEqual([]);
  });

  it('escalates only once: a second poor answer ends the call', async () => {
    const selection = base();
    const h = harness({ deepseek: [[{ finish: 'stop' }]], claude: [[{ finish: 'stop' }]] });
    const events = await h.run(
      selectCandidates(selection),
      { ...hello, rejectEmpty: true },
      {
        strongerCandidate: (current, currentPlan) => strongerCandidate(selection, currentPlan, current),
      },
    );
    expect(ending(events)).toMatchObject({ type: 'error', error: { code: 'empty_answer' } });
    expect(h.adapter('claude').requests.map((item) => item.model)).toEqual(['claude-sonnet']);
  });

  it('a red stronger tier is passed over for the one above it', () => {
    const openai = connection('openai', { name: 'OpenAI', models: [facts('gpt-5')] });
    const ladder = [...tiers.slice(0, 2), tier('enterprise', 2, [['openai', 'gpt-5', 0]])];
    const selection = base({
      connections: [deepseek, claude, openai],
      routing: config({ tiers: ladder }),
      health: { claude: health('claude', 'red') },
    });
    const plan = selectCandidates(selection);
    expect(strongerCandidate(selection, plan, plan.candidates[0]!)).toMatchObject({
      connectionId: 'openai',
      model: 'gpt-5',
      source: 'escalation',
      tierId: 'enterprise',
    });
    const allRed = base({
      connections: [deepseek, claude, openai],
      routing: config({ tiers: ladder }),
      health: { claude: health('claude', 'red'), openai: health('openai', 'red') },
    });
    expect(strongerCandidate(allRed, selectCandidates(allRed), plan.candidates[0]!)).toBeUndefined();
  });

  it('local-only work never escalates, falls back or capability-routes to the cloud', async () => {
    const selection = base({
      primaryConnectionId: 'ollama',
      routing: config({
        tiers: [tier('standard', 0, [['ollama', 'llama3', 0]]), ...tiers.slice(1)],
        rules: [rule('d', 'default', 'claude', 0)],
      }),
      request: request({ localOnly: true }),
    });
    const plan = selectCandidates(selection);
    expect(plan.candidates.map((item) => item.connectionId)).toEqual(['ollama']);
    expect(strongerCandidate(selection, plan, plan.candidates[0]!)).toBeUndefined();

    const h = harness({ ollama: [[{ finish: 'stop' }], failWith('network')], claude: [answer('cloud')], deepseek: [answer('cloud')] });
    const stronger = (current: (typeof plan.candidates)[number], currentPlan: typeof plan) =>
      strongerCandidate(selection, currentPlan, current);
    const empty = await h.run(plan, { ...hello, rejectEmpty: true }, { strongerCandidate: stronger });
    expect(ending(empty)).toMatchObject({ type: 'error', error: { code: 'empty_answer' } });
    const down = await h.run(plan, hello, { strongerCandidate: stronger });
    expect(ending(down)).toMatchObject({ type: 'error', error: { code: 'network' } });
    expect(h.adapter('claude').requests).toHaveLength(0);
    expect(h.adapter('deepseek').requests).toHaveLength(0);

    const memory = recordEscalation({}, 'planner', { connectionId: 'ollama', model: 'llama3' }, strong, now);
    const remembered = selectCandidates({ ...selection, escalation: memory, request: request({ agent: 'planner', localOnly: true }) });
    expect(remembered.candidates.map((item) => item.connectionId)).toEqual(['ollama']);
    expect(remembered.skipped).toContainEqual(
      expect.objectContaining({ connectionId: 'claude', source: 'escalation', reason: 'not_local' }),
    );
  });
});

describe('chat: retry and opt-in automatic fallback (DESIGN.md point 1)', () => {
  const claude = connection('claude', { name: 'Claude', kind: 'anthropic' });
  const deepseek = connection('deepseek', { name: 'DeepSeek' });
  const selection = input({
    connections: [claude, deepseek],
    primaryConnectionId: 'claude',
    routing: config({ rules: [rule('b', 'agent:builder', 'claude', 0)] }),
    request: request({ kind: 'chat' }),
  });

  it('without the opt-in, a failing Primary ends chat with the reason; "Retry on X" names the next backend', async () => {
    const h = harness({ claude: [failWith('quota_exhausted')], deepseek: [answer('hi')] });
    const events = await h.run(selectCandidates(selection));
    expect(ending(events)).toMatchObject({ type: 'error', error: { code: 'quota_exhausted' } });
    expect(chatFallbackCandidates(selection).candidates[0]?.connectionName).toBe('DeepSeek');
  });

  it('with the opt-in, chat falls back to the next healthy backend automatically', async () => {
    const h = harness({ claude: [failWith('quota_exhausted')], deepseek: [answer('hi')] });
    const primary = selectCandidates(selection);
    const combined = { ...primary, candidates: [...primary.candidates, ...chatFallbackCandidates(selection).candidates] };
    const events = await h.run(combined);
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'deepseek' });
  });
});
