import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src-shared/errors/app-error';
import { executionEventSchema } from '../../../src-shared/schemas/execution-event';
import { executeCall } from '../../../src-main/engine/execute';
import { answer, type Script } from './helpers/scripted-adapter';
import { collect, ending, facts, ofType } from './helpers/fixtures';
import { candidate, harness, hello, planOf, trace } from './helpers/execution';
import { settle } from './helpers/fake-clock';

describe('executeCall: time limits', () => {
  it('a stall before the first token fails over after the latency budget, without retrying the slow provider', async () => {
    const h = harness({ a: [[{ modelVersion: 'v1' }, { wait: 1e9 }]], b: [answer('ok')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 2 }), candidate('b')), {
      ...hello,
      firstTokenTimeoutMs: 5_000,
    });
    expect(trace(events).filter((line) => !line.startsWith('text'))).toEqual([
      'start a#1',
      'error a#1 timeout',
      'fallback a->b (timeout)',
      'start b#1',
      'finish b "ok"',
    ]);
    expect(ofType(events, 'attempt-error')[0]?.error.message).toMatch(/latency budget/);
    expect(h.clock.now() - started).toBe(5_000);
    expect(h.adapter('a').aborted).toBe(1);
    // A tight budget is the agent's demand, not evidence the provider is down.
    expect(h.colorOf('a')).toBe('grey');
  });

  it('a first token within the budget is fine even if the whole answer takes longer', async () => {
    const slow: Script = [{ wait: 1_000 }, { text: 'a' }, { wait: 9_000 }, { text: 'b' }, { finish: 'stop' }];
    const h = harness({ a: [slow] });
    const events = await h.run(planOf(candidate('a')), { ...hello, firstTokenTimeoutMs: 2_000 });
    expect(ending(events)).toMatchObject({ type: 'finish', text: 'ab' });
  });

  it('silence between chunks longer than the idle limit fails the attempt and counts against health', async () => {
    const h = harness({ a: [[{ modelVersion: 'v1' }, { wait: 1e9 }]], b: [answer('ok')] });
    const events = await h.run(planOf(candidate('a'), candidate('b')), { ...hello, idleTimeoutMs: 2_000 });
    expect(ending(events)).toMatchObject({ type: 'finish', connectionId: 'b', interrupted: false });
    expect(h.colorOf('a')).toBe('yellow');
  });

  it('the total limit ends the whole call, with no further fallback', async () => {
    const h = harness({ a: [[{ wait: 1e9 }]], b: [answer('ok')] });
    const started = h.clock.now();
    const events = await h.run(planOf(candidate('a'), candidate('b')), { ...hello, totalTimeoutMs: 10_000 });
    expect(ending(events)).toMatchObject({ type: 'error', error: { code: 'timeout', fallbackable: false } });
    expect(h.clock.now() - started).toBe(10_000);
    expect(h.adapter('b').requests).toHaveLength(0);
  });
});

describe('executeCall: streams (DESIGN.md point 6)', () => {
  it('failover before the first token is invisible: only the answering provider’s text is shown', async () => {
    const h = harness({ a: [[{ modelVersion: 'v0' }, { fail: 'provider_overloaded' }]], b: [answer('clean')] });
    const events = await h.run(planOf(candidate('a'), candidate('b')));
    expect(
      ofType(events, 'text-delta')
        .map((event) => event.text)
        .join(''),
    ).toBe('clean');
    expect(ofType(events, 'stream-interrupted')).toEqual([]);
    expect(ending(events)).toMatchObject({ type: 'finish', interrupted: false, text: 'clean' });
  });

  it('a drop mid-stream is reported as interrupted and, by default, ends in an error', async () => {
    const h = harness({ a: [[{ text: 'Hel' }, { fail: 'network' }]], b: [answer('never')] });
    const events = await h.run(planOf(candidate('a'), candidate('b')));
    expect(trace(events)).toEqual(['start a#1', 'text "Hel"', 'error a#1 network', 'interrupted a', 'fail stream_interrupted interrupted']);
    expect(h.adapter('b').requests).toHaveLength(0);
  });

  it('with continueAfterInterruption, the work continues on the next candidate and says why', async () => {
    const h = harness({ a: [[{ text: 'Hel' }, { fail: 'network' }]], b: [answer('Hello there')] });
    const events = await h.run(planOf(candidate('a', { sameProviderRetries: 2 }), candidate('b')), {
      ...hello,
      continueAfterInterruption: true,
    });
    expect(trace(events).filter((line) => !line.startsWith('text'))).toEqual([
      'start a#1',
      'error a#1 network',
      'interrupted a continuing',
      'fallback a->b (network)',
      'start b#1',
      'finish b "Hello there" interrupted',
    ]);
    const fallback = ofType(events, 'fallback')[0];
    expect(`continued on ${fallback?.to.connectionName} because ${fallback?.reason}`).toBe('continued on B because A could not be reached');
    expect(h.adapter('a').requests).toHaveLength(1);
  });

  const breaks: Array<{ name: string; script: Script; request?: object }> = [
    { name: 'network error after one chunk', script: [{ text: 'a' }, { fail: 'network' }] },
    { name: 'overload after two chunks', script: [{ text: 'a' }, { text: 'b' }, { fail: 'provider_overloaded' }] },
    { name: 'malformed stream', script: [{ text: 'a' }, { fail: 'stream_malformed' }] },
    { name: 'idle stall after a chunk', script: [{ text: 'a' }, { wait: 1e9 }], request: { idleTimeoutMs: 1_000 } },
    { name: 'deadline mid-answer', script: [{ text: 'a' }, { wait: 1e9 }], request: { totalTimeoutMs: 5_000 } },
    { name: 'refusal mid-answer', script: [{ text: 'a' }, { fail: 'content_filtered' }] },
  ];
  for (const continueAfterInterruption of [false, true]) {
    it.each(breaks)(`$name never ends as a clean finish (continue: ${continueAfterInterruption})`, async ({ script, request }) => {
      const h = harness({ a: [script], b: [answer('ok')] });
      const events = await h.run(planOf(candidate('a'), candidate('b')), { ...hello, ...request, continueAfterInterruption });
      const last = ending(events);
      expect(ofType(events, 'stream-interrupted')).toHaveLength(1);
      expect(last.type === 'error' || last.interrupted).toBe(true);
      expect(ofType(events, 'finish').filter((event) => !event.interrupted)).toEqual([]);
    });
  }

  it('a refusal mid-answer stops with the refusal, even when continuing is allowed', async () => {
    const h = harness({ a: [[{ text: 'a' }, { fail: 'content_filtered' }]], b: [answer('ok')] });
    const events = await h.run(planOf(candidate('a'), candidate('b')), { ...hello, continueAfterInterruption: true });
    expect(ending(events)).toMatchObject({ type: 'error', interrupted: true, error: { code: 'content_filtered' } });
    expect(h.adapter('b').requests).toHaveLength(0);
  });

  it('every event is serializable and matches the shared schema', async () => {
    const h = harness(
      { a: [[{ text: 'Hel' }, { fail: 'network' }]], b: [answer('Hello')] },
      { facts: facts('x', {}, { inputPricePerMillion: 3, outputPricePerMillion: 15 }) },
    );
    const events = await h.run(planOf(candidate('a'), candidate('b')), { ...hello, continueAfterInterruption: true });
    for (const event of events) expect(executionEventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });
});

describe('executeCall: answers', () => {
  it('reports usage with cost from the price table', async () => {
    const h = harness({ a: [answer('ok')] }, { facts: facts('a-model', {}, { inputPricePerMillion: 3, outputPricePerMillion: 15 }) });
    const events = await h.run(planOf(candidate('a')));
    expect(ofType(events, 'usage')).toEqual([
      { type: 'usage', connectionId: 'a', model: 'a-model', inputTokens: 100, outputTokens: 20, costUsd: (100 * 3 + 20 * 15) / 1e6 },
    ]);
  });

  it('sends the smaller of the caller’s and the candidate’s max output tokens, and reports a cut answer as cut', async () => {
    const h = harness({ a: [[{ text: 'cut sho' }, { finish: 'length' }]] });
    const events = await h.run(planOf(candidate('a', { maxOutputTokens: 256 })), { ...hello, maxOutputTokens: 1_000 });
    expect(h.adapter('a').requests[0]?.maxOutputTokens).toBe(256);
    expect(ending(events)).toMatchObject({ type: 'finish', finishReason: 'length', text: 'cut sho' });
  });

  it('an empty answer is a finish unless empty answers are rejected', async () => {
    const h = harness({ a: [[{ finish: 'stop' }]], b: [answer('full')] });
    expect(ending(await h.run(planOf(candidate('a'), candidate('b'))))).toMatchObject({ type: 'finish', connectionId: 'a', text: '' });
    const events = await h.run(planOf(candidate('a'), candidate('b')), { ...hello, rejectEmpty: true });
    expect(trace(events).filter((line) => !line.startsWith('text'))).toEqual([
      'start a#1',
      'error a#1 empty_answer',
      'fallback a->b (empty_answer) escalation',
      'start b#1',
      'finish b "full"',
    ]);
    expect(h.colorOf('a')).toBe('green');
  });
});

describe('executeCall: cancellation', () => {
  it('the caller’s signal stops a running stream at once with an aborted error', async () => {
    const h = harness({ a: [[{ text: 'par' }, { wait: 60_000 }, { text: 'tial' }]], b: [answer('never')] }, { autoAdvance: false });
    const controller = new AbortController();
    const running = collect(executeCall(planOf(candidate('a'), candidate('b')), { ...hello, signal: controller.signal }, h.ports));
    await settle();
    controller.abort();
    const events = await running;
    expect(ending(events)).toMatchObject({ type: 'error', error: { code: 'aborted' } });
    expect(h.adapter('a').aborted).toBe(1);
    expect(h.adapter('a').signals[0]?.aborted).toBe(true);
    expect(h.adapter('b').requests).toHaveLength(0);
    expect(h.outcomes).toEqual([{ connectionId: 'a', outcome: expect.objectContaining({ type: 'neutral' }) }]);
  });

  it('the caller’s signal also cuts a backoff sleep short', async () => {
    const h = harness({ a: [[{ fail: 'network' as ErrorCode }]] }, { autoAdvance: false });
    const controller = new AbortController();
    const running = collect(
      executeCall(planOf(candidate('a', { sameProviderRetries: 3 })), { ...hello, signal: controller.signal }, h.ports),
    );
    await settle();
    controller.abort();
    const events = await running;
    expect(trace(events)).toEqual(['start a#1', 'error a#1 network retry in 125', 'fail aborted']);
  });

  it('an already-cancelled call does not reach any provider', async () => {
    const h = harness({ a: [answer('never')] });
    const controller = new AbortController();
    controller.abort();
    const events = await h.run(planOf(candidate('a')), { ...hello, signal: controller.signal });
    expect(ending(events)).toMatchObject({ type: 'error', error: { code: 'aborted' } });
    expect(h.adapter('a').requests).toHaveLength(0);
  });

  it('a consumer that stops reading aborts the provider call', async () => {
    const h = harness({ a: [[{ text: 'a' }, { wait: 1_000 }, { text: 'b' }]] }, { autoAdvance: false });
    const iterator = executeCall(planOf(candidate('a')), hello, h.ports)[Symbol.asyncIterator]();
    let next = await iterator.next();
    while (!next.done && next.value.type !== 'text-delta') next = await iterator.next();
    await iterator.return?.();
    await settle();
    expect(h.adapter('a').signals[0]?.aborted).toBe(true);
    expect(h.clock.pending).toBe(0);
  });
});
