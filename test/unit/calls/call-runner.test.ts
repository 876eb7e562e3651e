import { describe, expect, it } from 'vitest';
import type { CallLogInput } from '../../../src-shared/schemas/call-log';
import type { RoutePlan } from '../../../src-shared/schemas/route-plan';
import { createCallRunner, type CallRunnerDependencies } from '../../../src-main/calls/call-runner';
import { generateTitle } from '../../../src-main/chat/chat-title';
import { FakeClock } from '../engine/helpers/fake-clock';
import { candidate, planOf } from '../engine/helpers/execution';
import { connection } from '../engine/helpers/fixtures';
import { answer, failWith, ScriptedAdapter, type Script } from '../engine/helpers/scripted-adapter';

/** A call runner over scripted providers, counting every adapter (and so key) it asks for. */
function setup(scripts: Record<string, Script[]>, plan: RoutePlan) {
  const clock = new FakeClock();
  const adapterRequests: string[] = [];
  const rows: CallLogInput[] = [];
  const connections = ['a', 'b', 'c'].map((id) => connection(id));
  const deps = {
    router: { plan: async () => plan, chatFallback: async () => plan, input: async () => ({}) },
    connections: {
      adapter: async (id: string) => {
        adapterRequests.push(id);
        return new ScriptedAdapter(id, scripts[id] ?? [answer('x')], clock);
      },
    },
    health: { record: () => undefined, get: () => ({ coolOff: null, onTrial: false }), admit: () => true, release: () => undefined },
    settings: { get: () => ({ connections }) },
    clock,
    random: { next: () => 0.5 },
    callLog: {
      record: async (entry: CallLogInput) => {
        rows.push(entry);
      },
    },
  } as unknown as CallRunnerDependencies;
  return { runner: createCallRunner(deps), adapterRequests, rows };
}

const call = { source: 'task' as const, route: { kind: 'task' as const, needs: [], estimatedInputTokens: 1, localOnly: false } };
const hello = { messages: [{ role: 'user' as const, content: 'hello' }] };

describe('the call runner', () => {
  it('builds adapters (and reads keys) only for the plan’s candidates', async () => {
    const { runner, adapterRequests, rows } = setup({ a: [answer('Hi there')] }, planOf(candidate('a')));
    for await (const _event of runner.run({ ...call, call: hello })) void _event;
    expect(adapterRequests).toEqual(['a']);
    expect(rows.map((row) => [row.connectionId, row.outcome])).toEqual([['a', 'success']]);
  });

  it('asks once per connection however many of its models the plan holds', async () => {
    const { runner, adapterRequests } = setup({}, planOf(candidate('b'), candidate('b', { model: 'other' })));
    for await (const _event of runner.run({ ...call, call: hello })) void _event;
    expect(adapterRequests).toEqual(['b']);
  });

  it('logs the call when its consumer stops reading mid-answer (a client that went away)', async () => {
    const { runner, rows } = setup({ a: [answer('A long answer that is never read to its end')] }, planOf(candidate('a')));
    for await (const event of runner.run({ ...call, call: hello })) if (event.type === 'text-delta') break;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ connectionId: 'a', outcome: 'error' });
    expect(rows[0]!.response).not.toBe('');
  });

  it('logs the call when the code reading it throws (inside a task)', async () => {
    const { runner, rows } = setup({ a: [answer('Hello')] }, planOf(candidate('a')));
    await expect(
      (async () => {
        for await (const event of runner.run({ ...call, call: hello })) if (event.type === 'text-delta') throw new Error('disk full');
      })(),
    ).rejects.toThrow('disk full');
    expect(rows.map((row) => row.connectionId)).toEqual(['a']);
  });

  it('logs a failed title call', async () => {
    const { runner, rows } = setup({ a: [failWith('bad_request')] }, planOf(candidate('a')));
    expect(
      await generateTitle(
        runner,
        'What is a monad?',
        { kind: 'chat', needs: [], estimatedInputTokens: 0, localOnly: false },
        'conversation-1',
      ),
    ).toBeNull();
    expect(rows.map((row) => [row.connectionId, row.errorCode])).toEqual([['a', 'bad_request']]);
  });
});
