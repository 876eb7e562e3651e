import { describe, expect, it } from 'vitest';
import type { StoredTask } from '../../../src-shared/schemas/stored-task';
import { createTaskAlerts, type TaskAlert } from '../../../src-main/tasks/task-alerts';

function task(patch: Partial<StoredTask>): StoredTask {
  return {
    id: 't1',
    agent: 'vision_agent',
    instruction: 'Describe the chart\nin detail',
    attachments: [],
    tier: null,
    route: null,
    modelOverride: null,
    localOnly: false,
    status: 'queued',
    pausedReason: null,
    answer: '',
    summary: null,
    output: null,
    trace: [],
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    error: null,
    createdAt: 0,
    updatedAt: 0,
    startedAt: null,
    finishedAt: null,
    ...patch,
  };
}

describe('task alerts (OS notifications)', () => {
  const setup = (watching: boolean) => {
    const alerts: TaskAlert[] = [];
    const state = { watching };
    const decider = createTaskAlerts({ notify: (alert) => alerts.push(alert), userIsWatching: () => state.watching });
    return { alerts, state, decider };
  };

  it('tells a user who is elsewhere that a task finished, with its summary and instruction, once', () => {
    const { alerts, decider } = setup(false);
    decider.observe(task({ status: 'queued' }));
    decider.observe(task({ status: 'running' }));
    expect(alerts).toEqual([]);
    decider.observe(task({ status: 'done', summary: 'Answered by Claude after DeepSeek gave an empty answer' }));
    decider.observe(task({ status: 'done', summary: 'Answered by Claude after DeepSeek gave an empty answer' }));
    expect(alerts).toEqual([
      {
        taskId: 't1',
        title: 'Vision task finished',
        body: 'Answered by Claude after DeepSeek gave an empty answer. “Describe the chart”',
      },
    ]);
  });

  it('tells of a pause with the reason it waits, and of a failure', () => {
    const { alerts, decider } = setup(false);
    decider.observe(task({ status: 'running' }));
    decider.observe(task({ status: 'paused', pausedReason: 'Waiting for Claude to recover' }));
    decider.observe(task({ id: 't2', status: 'running' }));
    decider.observe(task({ id: 't2', status: 'failed', summary: 'No answer: Claude has an invalid API key' }));
    expect(alerts.map((alert) => [alert.title, alert.body])).toEqual([
      ['Vision task paused', 'Waiting for Claude to recover. “Describe the chart”'],
      ['Vision task failed', 'No answer: Claude has an invalid API key. “Describe the chart”'],
    ]);
  });

  it('stays quiet while the user watches Tasks, for tasks first seen already ended, and for cancels', () => {
    const { alerts, state, decider } = setup(true);
    decider.observe(task({ status: 'running' }));
    decider.observe(task({ status: 'done' }));
    state.watching = false;
    decider.observe(task({ id: 'old', status: 'done' }));
    decider.observe(task({ id: 't3', status: 'running' }));
    decider.observe(task({ id: 't3', status: 'cancelled' }));
    expect(alerts).toEqual([]);
  });
});
