import { describe, expect, it } from 'vitest';
import { executionEventSchema } from '../../../src-shared/schemas/execution-event';
import { modelRequestFor } from '../../../src-main/engine/attempt';
import { answer } from './helpers/scripted-adapter';
import { facts, ofType } from './helpers/fixtures';
import { candidate, harness, hello, planOf, trace } from './helpers/execution';

describe('executeCall: a local model that is still loading', () => {
  it('a 10 s load with a 2 s latency budget answers from the local model, says it is loading, and keeps the dot green', async () => {
    const h = harness({
      local: [[{ loading: true }, { wait: 10_000 }, { loaded: 10_000 }, { wait: 500 }, ...answer('Hi')]],
      cloud: [answer('cloud')],
    });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('local'), candidate('cloud')), { ...hello, firstTokenTimeoutMs: 2_000 });
    expect(trace(events).filter((line) => !line.startsWith('text'))).toEqual([
      'start local#1',
      'loading local local-model',
      'loaded local in 10000',
      'finish local "Hi"',
    ]);
    expect(h.clock.now() - started).toBe(10_500);
    expect(h.adapter('cloud').requests).toHaveLength(0);
    // Loading is not failing: the attempt counts as a success for health.
    expect(h.outcomes).toEqual([{ connectionId: 'local', outcome: expect.objectContaining({ type: 'success' }) }]);
    expect(h.colorOf('local')).toBe('green');
    for (const event of events) expect(executionEventSchema.safeParse(event).success).toBe(true);
  });

  it('the latency budget applies after the load: a loaded model that then stays silent fails over', async () => {
    const h = harness({ local: [[{ loading: true }, { wait: 10_000 }, { loaded: 10_000 }, { wait: 1e9 }]], cloud: [answer('cloud')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('local'), candidate('cloud')), { ...hello, firstTokenTimeoutMs: 2_000 });
    expect(ofType(events, 'finish')[0]).toMatchObject({ connectionId: 'cloud', text: 'cloud' });
    expect(ofType(events, 'attempt-error')[0]?.error.message).toMatch(/latency budget/);
    expect(h.clock.now() - started).toBe(12_000);
    expect(h.colorOf('local')).not.toBe('yellow');
  });

  it("the call's overall limit still ends a load that never finishes", async () => {
    const h = harness({ local: [[{ loading: true }, { wait: 1e9 }]] });
    const events = await h.run(planOf(candidate('local')), { ...hello, firstTokenTimeoutMs: 2_000, totalTimeoutMs: 60_000 });
    expect(ofType(events, 'error')[0]?.error.code).toBe('timeout');
    expect(h.colorOf('local')).toBe('grey');
  });

  it('asks the provider to run the model with the context from its facts', () => {
    const local = { ...facts('local-model'), runContextTokens: 8192 };
    expect(modelRequestFor(candidate('local'), hello, local).contextTokens).toBe(8192);
    expect(modelRequestFor(candidate('cloud'), hello, facts('cloud-model')).contextTokens).toBeUndefined();
  });
});
