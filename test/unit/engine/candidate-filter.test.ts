import { describe, expect, it } from 'vitest';
import type { RoutePlan } from '../../../src-shared/schemas/route-plan';
import type { Agent } from '../../../src-shared/schemas/agent';
import { builtInAgents } from '../../../src-shared/schemas/agent';
import { selectCandidates } from '../../../src-main/engine/select-candidates';
import { config, connection, facts, health, input, request, rule } from './helpers/fixtures';

const first = (plan: RoutePlan) => plan.candidates[0];

describe('selectCandidates: filters (each exclusion recorded with its reason)', () => {
  const cloud = connection('cloud', {
    name: 'Cloud',
    models: [facts('cloud-model', { vision: false, structuredOutput: true, tools: false }, { contextWindow: 8_000 })],
    monthlyBudgetUsd: 20,
  });
  const seeing = connection('seeing', { name: 'Seeing', models: [facts('seeing-model', { vision: true })] });
  const local = connection('ollama', {
    kind: 'ollama',
    name: 'Ollama',
    baseUrl: 'http://localhost:11434',
    defaultModel: 'llama3',
    models: [facts('llama3', {}, { inputPricePerMillion: 0, outputPricePerMillion: 0 })],
  });
  const rules = [rule('a', 'default', 'cloud', 0), rule('b', 'default', 'seeing', 1), rule('c', 'default', 'ollama', 2)];
  const base = { connections: [cloud, seeing, local], primaryConnectionId: 'cloud', routing: config({ rules }) };

  it.each([
    {
      name: 'disabled',
      over: { connections: [{ ...cloud, enabled: false }, seeing, local] },
      req: request(),
      reason: 'disabled',
      words: /turned off/,
    },
    {
      name: 'red',
      over: { health: { cloud: health('cloud', 'red', '3 failures in a row: provider overloaded') } },
      req: request(),
      reason: 'unhealthy',
      words: /provider overloaded/,
    },
    {
      name: 'marked down in the Route preview',
      over: {},
      req: request({ simulateDown: ['cloud'] }),
      reason: 'unhealthy',
      words: /marked down in this preview/,
    },
    {
      name: 'monthly cap reached',
      over: { spend: { monthToDateUsd: { cloud: 20.5 }, taskCostUsd: 0 } },
      req: request(),
      reason: 'over_budget',
      words: /monthly cap of \$20\.00 \(\$20\.50 spent/,
    },
    {
      name: 'image needs vision, the model has none',
      over: {},
      req: request({ needs: ['vision'] }),
      reason: 'missing_capability',
      words: /cannot handle images/,
    },
    {
      name: 'tools offered, the model is known to lack them',
      over: {},
      req: request({ needs: ['tools'] }),
      reason: 'missing_capability',
      words: /cloud-model on Cloud cannot handle tools/,
    },
    {
      name: 'prompt larger than the context window',
      over: {},
      req: request({ estimatedInputTokens: 9_000 }),
      reason: 'input_too_large',
      words: /9,000 tokens.*8,000/,
    },
    {
      name: 'cloud connection for local-only work',
      over: {},
      req: request({ localOnly: true }),
      reason: 'not_local',
      words: /Not sent: would leave this machine/,
    },
  ])('$name -> $reason', ({ over, req, reason, words }) => {
    const plan = selectCandidates(input({ ...base, ...over, request: req }));
    expect(plan.candidates.some((candidate) => candidate.connectionId === 'cloud')).toBe(false);
    const skip = plan.skipped.find((item) => item.connectionId === 'cloud');
    expect(skip?.reason).toBe(reason);
    expect(skip?.message).toMatch(words);
  });

  it('under the monthly cap the connection is used', () => {
    const plan = selectCandidates(input({ ...base, spend: { monthToDateUsd: { cloud: 19.99 }, taskCostUsd: 0 } }));
    expect(first(plan)?.connectionId).toBe('cloud');
  });

  it('an image goes only to vision-capable models; unknown vision is allowed but noted', () => {
    const plan = selectCandidates(input({ ...base, request: request({ needs: ['vision'] }) }));
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['seeing', 'ollama']);
    expect(plan.candidates[0]?.notes).toEqual([]);
    expect(plan.candidates[1]?.notes[0]).toMatch(/images \(vision\) is unknown for llama3/);
  });

  it('a request with tools skips the model known to lack them and tries the ones where tool support is unknown', () => {
    const seeingWithTools = connection('seeing', { name: 'Seeing', models: [facts('seeing-model', { vision: true, tools: true })] });
    const plan = selectCandidates(input({ ...base, connections: [cloud, seeingWithTools, local], request: request({ needs: ['tools'] }) }));
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['seeing', 'ollama']);
    expect(plan.skipped).toEqual([
      expect.objectContaining({
        connectionId: 'cloud',
        reason: 'missing_capability',
        message: expect.stringMatching(/cannot handle tools/),
      }),
    ]);
    expect(plan.candidates[0]?.notes).toEqual([]);
    expect(plan.candidates[1]?.notes[0]).toMatch(/tools is unknown for llama3; trying anyway/);
  });

  it('an agent that requires web search skips models known to lack it; the built-in research agent does not require it', () => {
    const searcher = connection('pplx', {
      kind: 'perplexity',
      name: 'Perplexity',
      defaultModel: 'sonar',
      models: [facts('sonar', { webSearch: true, tools: false })],
    });
    const plain = connection('cloud', { name: 'Cloud', models: [facts('cloud-model', { webSearch: false })] });
    const agents: Agent[] = [
      ...builtInAgents,
      { ...builtInAgents.find((agent) => agent.name === 'research')!, name: 'cited', builtIn: false, requiredCapabilities: ['webSearch'] },
    ];
    const routing = config({ rules: [rule('a', 'default', 'cloud', 0), rule('b', 'default', 'pplx', 1)] });
    const scene = { connections: [plain, searcher], primaryConnectionId: 'cloud', routing, agents };
    const cited = selectCandidates(input({ ...scene, request: request({ agent: 'cited' }) }));
    expect(cited.candidates.map((candidate) => candidate.connectionId)).toEqual(['pplx']);
    expect(cited.skipped[0]).toMatchObject({
      connectionId: 'cloud',
      reason: 'missing_capability',
      message: 'cloud-model on Cloud cannot handle web search',
    });
    expect(builtInAgents.find((agent) => agent.name === 'research')?.requiredCapabilities).not.toContain('webSearch');
    const research = selectCandidates(input({ ...scene, request: request({ agent: 'research' }) }));
    expect(research.candidates[0]?.connectionId).toBe('cloud');
  });

  it('the agent’s required capabilities count as needs (vision_agent needs vision)', () => {
    const plan = selectCandidates(input({ ...base, request: request({ agent: 'vision_agent' }) }));
    expect(plan.skipped.find((item) => item.connectionId === 'cloud')?.reason).toBe('missing_capability');
  });

  it('a task past its agent’s cost ceiling skips paid models but not free local ones', () => {
    const agents: Agent[] = [...builtInAgents, { ...builtInAgents[2]!, name: 'thrifty', costCeilingUsd: 1 }];
    const plan = selectCandidates(
      input({ ...base, agents, spend: { monthToDateUsd: {}, taskCostUsd: 1.2 }, request: request({ agent: 'thrifty' }) }),
    );
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['ollama']);
    expect(plan.skipped.map((item) => item.reason)).toEqual(['over_budget', 'over_budget']);
    expect(plan.skipped[0]?.message).toMatch(/cost ceiling of \$1\.00/);
  });

  it('local-only work never reaches a cloud connection, and only local ones are candidates', () => {
    const plan = selectCandidates(input({ ...base, request: request({ localOnly: true }) }));
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['ollama']);
  });

  it('an agent flagged local-only is local-only even if the request is not', () => {
    const agents: Agent[] = [...builtInAgents, { ...builtInAgents[2]!, name: 'private', localOnly: true }];
    const plan = selectCandidates(input({ ...base, agents, request: request({ agent: 'private' }) }));
    expect(plan.candidates.map((candidate) => candidate.connectionId)).toEqual(['ollama']);
  });
});

describe('selectCandidates: nothing left', () => {
  const claudeConnection = connection('claude', { name: 'Claude' });
  const deepseekConnection = connection('deepseek', { name: 'DeepSeek' });
  const local = connection('ollama', { kind: 'ollama', name: 'Ollama', baseUrl: 'http://127.0.0.1:11434' });

  it('a task pauses naming who it waits for, and resumes when one recovers', () => {
    const routing = config({ rules: [rule('a', 'agent:builder', 'claude', 0)] });
    const down = { claude: health('claude', 'red'), deepseek: health('deepseek', 'red') };
    const paused = selectCandidates(
      input({
        connections: [claudeConnection, deepseekConnection],
        primaryConnectionId: 'deepseek',
        routing,
        health: down,
        request: request({ agent: 'builder' }),
      }),
    );
    expect(paused.candidates).toEqual([]);
    expect(paused.pausedReason).toBe('Waiting for Claude or DeepSeek to recover');
    expect(paused.waitingFor).toEqual(['claude', 'deepseek']);

    const recovered = selectCandidates(
      input({
        connections: [claudeConnection, deepseekConnection],
        primaryConnectionId: 'deepseek',
        routing,
        health: { ...down, deepseek: health('deepseek', 'green') },
        request: request({ agent: 'builder' }),
      }),
    );
    expect(first(recovered)?.connectionId).toBe('deepseek');
    expect(recovered.pausedReason).toBeUndefined();
  });

  it('local-only work with no local connection says "not sent: would leave this machine", and that it can never run', () => {
    const plan = selectCandidates(
      input({
        connections: [claudeConnection, deepseekConnection],
        primaryConnectionId: 'claude',
        routing: config({ rules: [rule('d', 'default', 'deepseek', 0)] }),
        request: request({ localOnly: true }),
      }),
    );
    expect(plan.candidates).toEqual([]);
    expect(plan.pausedReason).toMatch(/^Not sent: would leave this machine/);
    expect(plan.skipped.map((skip) => `${skip.connectionId}:${skip.reason}`)).toEqual(['deepseek:not_local', 'claude:not_local']);
    expect(plan.unroutable).toMatch(/^This work is local-only and there is no local connection/);
  });

  it('local-only work with the local connection red waits for it, and still never goes to the cloud', () => {
    const plan = selectCandidates(
      input({
        connections: [claudeConnection, local],
        primaryConnectionId: 'ollama',
        health: { ollama: health('ollama', 'red') },
        request: request({ localOnly: true }),
      }),
    );
    expect(plan.candidates).toEqual([]);
    // Ollama is its own connection and could take it once it recovers: Claude is not even considered.
    expect(plan.pausedReason).toBe('Waiting for Ollama to recover');
    expect(plan.waitingFor).toEqual(['ollama']);
    expect(plan.skipped.map((skip) => skip.connectionId)).toEqual(['ollama']);
    expect(plan.unroutable).toBeUndefined();
  });

  it('no connections at all says so', () => {
    expect(selectCandidates(input({ request: request() })).pausedReason).toMatch(/No connections yet/);
  });
});
