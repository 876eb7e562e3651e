import { describe, expect, it } from 'vitest';
import type { TaskTraceEvent } from '../../../src-shared/schemas/stored-task';
import { describeTrace } from '../../../src-renderer/src/features/tasks/task-format';

const loading = { type: 'model-loading', connectionId: 'ollama', connectionName: 'Ollama', model: 'llama3.2:3b', at: 1_000 };
const loaded = { type: 'model-loaded', connectionId: 'ollama', model: 'llama3.2:3b', loadMs: 9_500, at: 10_500 };
const trace = (...events: object[]) => events as unknown as TaskTraceEvent[];

describe('a local model loading in the task trace', () => {
  it('is still loading while nothing came after it, so the timeline counts its seconds', () => {
    const entries = describeTrace(trace(loading), () => undefined);
    expect(entries).toEqual([expect.objectContaining({ text: 'Loading model llama3.2:3b on Ollama', loading: true, at: 1_000 })]);
  });

  it('once loaded, says how long the load took and that the latency budget starts then', () => {
    const entries = describeTrace(trace(loading, loaded), () => undefined);
    expect(entries[0]?.loading).toBeUndefined();
    expect(entries[1]?.text).toBe('Ollama loaded llama3.2:3b in 9.5 s; the latency budget starts now');
  });
});
