import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { createThreadOperations } from '../../../src-renderer/src/stores/chat-store-threads';
import type { ChatState } from '../../../src-renderer/src/stores/chat-store-types';

// Streamed text is applied in animation frames, at most every 50 ms. The frames are driven by hand here,
// so the test decides when the window paints; timers are Vitest's fake ones.
vi.mock('../../../src-renderer/src/lib/api-client', () => ({ api: {} }));

let frames: Array<(time: number) => void> = [];
const runFrame = () => {
  const due = frames;
  frames = [];
  for (const callback of due) callback(performance.now());
};

function setup() {
  const store = createStore<ChatState>(() => ({ streamingText: {}, messages: {}, threads: {}, loadingModel: {} }) as unknown as ChatState);
  const operations = createThreadOperations(store.setState, store.getState);
  const delta = (text: string) => operations.onDelta({ conversationId: 'c', messageId: 7, text });
  const shown = () => store.getState().streamingText[7];
  return { delta, shown };
}

describe('streamed text pacing', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (callback: (time: number) => void) => frames.push(callback));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('applies text in the next animation frame, then waits 50 ms before the next', () => {
    const { delta, shown } = setup();
    delta('Hel');
    delta('lo');
    expect(shown()).toBeUndefined();
    runFrame();
    expect(shown()).toBe('Hello');

    vi.advanceTimersByTime(10);
    delta(' there');
    runFrame();
    expect(shown()).toBe('Hello');
    vi.advanceTimersByTime(40);
    runFrame();
    expect(shown()).toBe('Hello there');
  });

  it("an earlier flush's fallback timer does not flush the next text early, outside a frame", () => {
    const { delta, shown } = setup();
    delta('one');
    runFrame();
    expect(shown()).toBe('one');
    vi.advanceTimersByTime(10);
    delta(' two');
    // At 100 ms the first flush's fallback comes due; the second flush is waiting for its frame.
    vi.advanceTimersByTime(50);
    expect(frames).toHaveLength(1);
    vi.advanceTimersByTime(45);
    expect(shown()).toBe('one');
    runFrame();
    expect(shown()).toBe('one two');
  });

  it('a window without animation frames (hidden) still gets the text, 100 ms late', () => {
    const { delta, shown } = setup();
    delta('quiet');
    vi.advanceTimersByTime(99);
    expect(shown()).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(shown()).toBe('quiet');
  });
});
