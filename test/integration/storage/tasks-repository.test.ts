import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appError } from '../../../src-shared/errors/app-error';
import type { Database } from '../../../src-main/storage/database';
import { createTasksRepository, type TasksRepository } from '../../../src-main/storage/tasks-repository';
import { manualClock, StorageFixture, failureCode } from './storage-fixture';

describe('tasks repository', () => {
  let fixture: StorageFixture;
  let database: Database;
  let tasks: TasksRepository;
  const clock = manualClock();

  beforeEach(async () => {
    fixture = new StorageFixture();
    ({ database } = await fixture.open());
    tasks = createTasksRepository(database, { now: clock.now });
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('creates a queued task with attachments, tier, route and local-only flag', async () => {
    const created = await tasks.create({
      agent: 'vision_agent',
      instruction: 'Describe this chart',
      attachments: [{ type: 'image', mediaType: 'image/png', data: 'AAAA' }],
      tier: 'vision',
      route: 'route-1',
      localOnly: true,
    });
    expect(created).toMatchObject({
      agent: 'vision_agent',
      instruction: 'Describe this chart',
      attachments: [{ type: 'image', mediaType: 'image/png', data: 'AAAA' }],
      tier: 'vision',
      route: 'route-1',
      localOnly: true,
      status: 'queued',
      pausedReason: null,
      answer: '',
      output: null,
      trace: [],
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      error: null,
      createdAt: clock.now(),
      startedAt: null,
      finishedAt: null,
    });
    expect(await tasks.get(created.id)).toEqual(created);
    const plain = await tasks.create({ agent: 'builder', instruction: 'Fix the bug' });
    expect(plain).toMatchObject({ attachments: [], tier: null, route: null, localOnly: false });
    expect(await failureCode(tasks.create({ agent: '', instruction: 'x' }))).toBe('validation_failed');
    expect(await tasks.get('missing')).toBeNull();
  });

  it('moves through statuses, stamping start and finish times and keeping the paused reason only while paused', async () => {
    const task = await tasks.create({ agent: 'planner', instruction: 'Plan the release' });
    clock.advance(1000);
    const running = await tasks.updateStatus(task.id, { status: 'running' });
    expect(running).toMatchObject({ status: 'running', startedAt: clock.now(), finishedAt: null });
    const startedAt = running.startedAt;

    clock.advance(1000);
    const paused = await tasks.updateStatus(task.id, { status: 'paused', pausedReason: 'Waiting for Ollama to come back' });
    expect(paused).toMatchObject({ status: 'paused', pausedReason: 'Waiting for Ollama to come back', finishedAt: null });

    clock.advance(1000);
    const resumed = await tasks.updateStatus(task.id, { status: 'running' });
    expect(resumed).toMatchObject({ status: 'running', pausedReason: null, startedAt });

    clock.advance(1000);
    const done = await tasks.updateStatus(task.id, { status: 'done', output: { steps: ['build', 'ship'] } });
    expect(done).toMatchObject({ status: 'done', output: { steps: ['build', 'ship'] }, finishedAt: clock.now(), updatedAt: clock.now() });

    const error = appError('no_candidates', 'No connection can take this task');
    const failed = await tasks.updateStatus((await tasks.create({ agent: 'builder', instruction: 'x' })).id, { status: 'failed', error });
    expect(failed).toMatchObject({ status: 'failed', error, output: null });
    // A later change that does not mention the error keeps it.
    expect((await tasks.updateStatus(failed.id, { status: 'cancelled' })).error).toEqual(error);
    expect(await failureCode(tasks.updateStatus('missing', { status: 'running' }))).toBe('not_found');
  });

  it('appends answer text, usage and trace events in order', async () => {
    const task = await tasks.create({ agent: 'research', instruction: 'Compare databases' });
    await tasks.appendAnswer(task.id, 'SQLite ');
    await tasks.appendAnswer(task.id, 'is embedded.');
    await tasks.addUsage(task.id, { inputTokens: 100, outputTokens: 20, costUsd: 0.001 });
    await tasks.addUsage(task.id, { inputTokens: 50, outputTokens: 5, costUsd: 0.0005 });
    await tasks.appendTrace(task.id, [
      { at: 1, type: 'attempt-start', connectionId: 'a', model: 'm1' },
      { at: 2, type: 'fallback', reason: 'Claude is rate-limited' },
    ]);
    await tasks.appendTrace(task.id, [{ at: 3, type: 'finish', attempts: 2 }]);

    const stored = await tasks.get(task.id);
    expect(stored).toMatchObject({ answer: 'SQLite is embedded.', inputTokens: 150, outputTokens: 25 });
    expect(stored!.costUsd).toBeCloseTo(0.0015, 10);
    expect(stored!.trace).toEqual([
      { at: 1, type: 'attempt-start', connectionId: 'a', model: 'm1' },
      { at: 2, type: 'fallback', reason: 'Claude is rate-limited' },
      { at: 3, type: 'finish', attempts: 2 },
    ]);
    await tasks.setAnswer(task.id, 'Started over.');
    expect((await tasks.get(task.id))!.answer).toBe('Started over.');

    expect(await failureCode(tasks.appendTrace('missing', [{ at: 1, type: 'x' }]))).toBe('not_found');
    expect(await failureCode(tasks.appendAnswer('missing', 'x'))).toBe('not_found');
    expect(await failureCode(tasks.appendTrace(task.id, [{ at: 1 } as never]))).toBe('validation_failed');
    expect(await database.get('SELECT count(*) AS count FROM task_trace')).toEqual({ count: 3 });
  });

  it('lists newest first, filtered by status, without traces', async () => {
    const first = await tasks.create({ agent: 'builder', instruction: 'one' });
    clock.advance(10);
    const second = await tasks.create({ agent: 'builder', instruction: 'two' });
    clock.advance(10);
    const third = await tasks.create({ agent: 'builder', instruction: 'three' });
    await tasks.appendTrace(third.id, [{ at: 1, type: 'attempt-start' }]);
    await tasks.updateStatus(second.id, { status: 'done' });

    expect((await tasks.list()).map((task) => task.id)).toEqual([third.id, second.id, first.id]);
    expect((await tasks.list())[0]!.trace).toEqual([]);
    expect((await tasks.list({ statuses: ['queued'] })).map((task) => task.id)).toEqual([third.id, first.id]);
    expect((await tasks.list({ statuses: ['done', 'failed'] })).map((task) => task.id)).toEqual([second.id]);
    expect((await tasks.list({ limit: 1, offset: 1 })).map((task) => task.id)).toEqual([second.id]);
  });

  it('at start-up marks running tasks interrupted and lists queued and paused ones to resume', async () => {
    const queued = await tasks.create({ agent: 'builder', instruction: 'queued' });
    clock.advance(10);
    const running = await tasks.create({ agent: 'builder', instruction: 'running' });
    await tasks.updateStatus(running.id, { status: 'running' });
    await tasks.appendAnswer(running.id, 'partial answer');
    clock.advance(10);
    const escalated = await tasks.create({ agent: 'builder', instruction: 'escalated' });
    await tasks.updateStatus(escalated.id, { status: 'escalated' });
    clock.advance(10);
    const paused = await tasks.create({ agent: 'builder', instruction: 'paused' });
    await tasks.updateStatus(paused.id, { status: 'paused', pausedReason: 'Over budget' });
    const done = await tasks.create({ agent: 'builder', instruction: 'done' });
    await tasks.updateStatus(done.id, { status: 'done' });

    clock.advance(1000);
    expect(await tasks.markRunningAsInterrupted()).toEqual([running.id, escalated.id].sort());
    expect(await tasks.get(running.id)).toMatchObject({ status: 'interrupted', answer: 'partial answer', finishedAt: clock.now() });
    expect((await tasks.listResumable()).map((task) => task.id)).toEqual([queued.id, paused.id]);
    expect(await tasks.markRunningAsInterrupted()).toEqual([]);
  });
});
