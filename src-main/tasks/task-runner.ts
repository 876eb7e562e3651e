import { appError, AppErrorException, toAppError } from '../../src-shared/errors/app-error';
import { taskWaitsFor } from '../../src-shared/errors/error-traits';
import type { ContentPart } from '../../src-shared/schemas/chat-message';
import type { RoutePlan, RouteRequest } from '../../src-shared/schemas/route-plan';
import type { StoredTask, TaskInput, TaskTraceEvent } from '../../src-shared/schemas/stored-task';
import { allAgents } from '../agents/agent-registry';
import { createAnswerChecker, structuredAnswerValue } from '../calls/answer-check';
import type { CallRunner } from '../calls/call-runner';
import { emptySummary, outcomeLine, summarizeEvent } from '../engine/call-summary';
import { traceEntry } from '../engine/call-trace';
import { chooseTaskClaudeModel } from '../engine/complexity';
import { recordEscalation } from '../engine/escalation';
import { emptyPlanError } from '../engine/execute';
import { estimateInputTokens } from '../engine/limits';
import { requiredCapabilities } from '../engine/needs';
import type { TokenCounter } from '../engine/ports';
import { strongerCandidate } from '../engine/select-candidates';
import type { HealthMonitor } from '../health/health-monitor';
import type { RouterService } from '../routing/router-service';
import type { SettingsService } from '../settings/settings-service';
import type { TasksRepository } from '../storage/tasks-repository';
import { createPauseBook } from './pause-book';

export interface TaskRunnerDependencies {
  tasks: TasksRepository;
  runner: CallRunner;
  router: RouterService;
  settings: SettingsService;
  health: HealthMonitor;
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
  emitTask(task: StoredTask): void;
  emitDelta(event: { taskId: string; text: string; reset: boolean }): void;
  emitTrace(event: { taskId: string; events: TaskTraceEvent[] }): void;
  /** Tasks running at once, in all. */
  maxConcurrent?: number;
  /** Tasks running at once on one connection. */
  perConnection?: number;
  tokenCounter?: TokenCounter;
}

const ANSWER_FLUSH_MS = 250;

/**
 * Queues tasks, runs each through its agent's routing (DESIGN.md points 2 to 8), streams progress,
 * escalates poor answers, pauses when nothing healthy is left and resumes when a backend recovers.
 */
export function createTaskRunner(deps: TaskRunnerDependencies) {
  const maxConcurrent = deps.maxConcurrent ?? 4;
  const perConnection = deps.perConnection ?? 2;
  const running = new Map<string, { controller: AbortController; connectionId: string }>();
  const checkAnswers = createAnswerChecker();
  const pauses = createPauseBook({ health: deps.health, now: deps.now, setTimer: deps.setTimer, onRecheck: () => void recheckPaused() });
  let pumping = false;
  let stopped = false;
  let pumpAgain = false;

  const emit = async (id: string) => {
    const task = await deps.tasks.get(id);
    if (task) deps.emitTask({ ...task, trace: [] });
    return task;
  };

  const agentFor = (name: string) => {
    const agent = allAgents(deps.settings.get()).find((candidate) => candidate.name === name);
    if (!agent)
      throw new AppErrorException(
        appError('not_found', `There is no agent "${name}" any more. Pick another agent and retry.`, { field: 'agent' }),
      );
    return agent;
  };

  const routeFor = (task: StoredTask): RouteRequest => {
    const agent = agentFor(task.agent);
    const content: ContentPart[] = [{ type: 'text', text: task.instruction }, ...task.attachments];
    const messages = [{ role: 'user' as const, content }];
    const settings = deps.settings.get();
    const primaryKind = settings.connections.find((connection) => connection.id === settings.primaryConnectionId)?.kind;
    const claude =
      task.tier || task.route || task.modelOverride
        ? undefined
        : chooseTaskClaudeModel({
            primaryKind,
            selection: settings.chat.claude,
            instruction: task.instruction,
            hasAttachments: task.attachments.length > 0,
          });
    return {
      kind: 'task',
      ...(claude ? { primaryModel: { model: claude.model, reason: claude.reason } } : {}),
      agent: task.agent,
      ...(task.tier ? { tier: task.tier } : {}),
      ...(task.route ? { route: task.route } : {}),
      // Named for this one task: the engine goes straight to it (DESIGN.md point 1, seed 001).
      ...(task.modelOverride ? { override: task.modelOverride } : {}),
      needs: requiredCapabilities({
        messages,
        ...(agent.outputSchema ? { responseFormat: { type: 'json_schema', name: agent.name, schema: agent.outputSchema } } : {}),
      }),
      estimatedInputTokens: estimateInputTokens({ system: agent.systemPrompt, messages }, deps.tokenCounter),
      localOnly: task.localOnly,
    };
  };

  const pause = async (task: StoredTask, reason: string, waitingFor: string[]) => {
    await deps.tasks.updateStatus(task.id, { status: 'paused', pausedReason: reason });
    pauses.add(task.id, waitingFor);
    await emit(task.id);
  };

  /** Nothing to start with: work that could never run fails with its reason; the rest waits (DESIGN.md points 4 and 8). */
  const endWithoutCandidates = async (task: StoredTask, plan: RoutePlan) => {
    const error = emptyPlanError(plan);
    if (taskWaitsFor(error)) return pause(task, plan.pausedReason ?? 'Waiting for a healthy provider', plan.waitingFor);
    pauses.remove(task.id);
    await deps.tasks.updateStatus(task.id, { status: 'failed', pausedReason: null, error });
    await emit(task.id);
  };

  const execute = async (task: StoredTask, plan: RoutePlan, route: RouteRequest) => {
    const agent = agentFor(task.agent);
    const controller = new AbortController();
    running.set(task.id, { controller, connectionId: plan.candidates[0]?.connectionId ?? '' });
    await deps.tasks.updateStatus(task.id, { status: 'running', pausedReason: null, error: null, summary: null });
    await deps.tasks.setAnswer(task.id, '');
    await emit(task.id);

    let buffered = '';
    let flushTimer: { cancel(): void } | null = null;
    let writes = Promise.resolve();
    const flush = () => {
      flushTimer = null;
      if (!buffered) return;
      const text = buffered;
      buffered = '';
      writes = writes.then(() => deps.tasks.appendAnswer(task.id, text)).catch(() => undefined);
      deps.emitDelta({ taskId: task.id, text, reset: false });
    };
    let shownText = false;
    const summary = emptySummary();
    const schema = agent.outputSchema;
    const responseFormat = schema ? { type: 'json_schema' as const, name: agent.name.replace(/[^A-Za-z0-9_-]/g, '_'), schema } : undefined;
    const answerCheck = checkAnswers(responseFormat, { fenced: true });
    const input = await deps.router.input(route, { taskId: task.id });

    try {
      const events = deps.runner.run(
        {
          source: 'task',
          route,
          agent: agent.name,
          taskId: task.id,
          // Standard -> premium -> enterprise by tier rank, else the next candidate (DESIGN.md point 7).
          strongerCandidate: (current, currentPlan) => strongerCandidate(input, currentPlan, current),
          call: {
            ...(agent.systemPrompt ? { system: agent.systemPrompt } : {}),
            messages: [{ role: 'user', content: [{ type: 'text', text: task.instruction }, ...task.attachments] }],
            ...(responseFormat ? { responseFormat } : {}),
            firstTokenTimeoutMs: agent.latencyBudgetMs,
            idleTimeoutMs: 60_000,
            rejectEmpty: true,
            continueAfterInterruption: true,
            signal: controller.signal,
          },
          // The one structured-answer check the gateway uses too; agents' answers may come fenced.
          ...(answerCheck ? { validateAnswer: answerCheck } : {}),
        },
        plan,
      );
      for await (const event of events) {
        summarizeEvent(summary, event);
        const trace = traceEntry(event, deps.now());
        if (trace) {
          await deps.tasks.appendTrace(task.id, [trace]);
          deps.emitTrace({ taskId: task.id, events: [trace] });
        }
        if (event.type === 'attempt-start' && shownText) {
          // A new attempt answers from scratch: the partial answer stays in the trace, not in the result.
          flushTimer?.cancel();
          buffered = '';
          shownText = false;
          writes = writes.then(() => deps.tasks.setAnswer(task.id, ''));
          deps.emitDelta({ taskId: task.id, text: '', reset: true });
        }
        if (event.type === 'attempt-start') {
          const entry = running.get(task.id);
          if (entry) entry.connectionId = event.connectionId;
        }
        if (event.type === 'text-delta') {
          shownText = true;
          buffered += event.text;
          flushTimer ??= deps.setTimer(flush, ANSWER_FLUSH_MS);
        }
        if (event.type === 'fallback' && event.escalation) {
          await deps.tasks.updateStatus(task.id, { status: 'escalated' });
          await emit(task.id);
        }
        if (event.type === 'usage') {
          await deps.tasks.addUsage(task.id, {
            inputTokens: event.inputTokens,
            outputTokens: event.outputTokens,
            costUsd: event.costUsd ?? 0,
          });
        }
      }
    } catch (error) {
      summary.error = toAppError(error);
    }
    flushTimer?.cancel();
    flush();
    await writes;
    running.delete(task.id);

    // The one reading of the run's events (call-summary), as the line the task shows at the top.
    const ended = outcomeLine(summary) ?? null;
    if (controller.signal.aborted) {
      await deps.tasks.updateStatus(task.id, { status: 'cancelled', summary: ended });
    } else if (summary.finish && !summary.error) {
      const finished = summary.finish;
      await deps.tasks.setAnswer(task.id, finished.text);
      if (finished.escalatedFrom) {
        const from = finished.escalatedFrom;
        const to = { connectionId: finished.connectionId, model: finished.model };
        deps.settings.update((current) => ({
          ...current,
          escalations: recordEscalation(current.escalations, agent.name, from, to, deps.now()),
        }));
      }
      // The answer passed the check above, so its JSON reads back.
      const output = schema ? structuredAnswerValue(finished.text, { fenced: true }) : undefined;
      await deps.tasks.updateStatus(task.id, { status: 'done', error: null, summary: ended, ...(schema ? { output } : {}) });
    } else {
      const error = summary.error ?? appError('internal', 'The task stopped without an answer.');
      if (taskWaitsFor(error)) {
        const ids = [...new Set([...plan.candidates.map((candidate) => candidate.connectionId), ...plan.waitingFor])];
        const names = [...new Set(plan.candidates.map((candidate) => candidate.connectionName))];
        const reason = names.length
          ? `Waiting for ${names.join(' or ')} to recover (${error.message})`
          : (plan.pausedReason ?? error.message);
        await deps.tasks.updateStatus(task.id, { status: 'paused', pausedReason: reason, error, summary: ended });
        pauses.add(task.id, ids);
      } else {
        await deps.tasks.updateStatus(task.id, { status: 'failed', error, summary: ended });
      }
    }
    await emit(task.id);
    void pump();
  };

  /** Starts queued tasks while there is room, oldest first. */
  const pump = async (): Promise<void> => {
    if (stopped) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        const queued = (await deps.tasks.list({ statuses: ['queued'] })).sort((a, b) => a.createdAt - b.createdAt);
        for (const task of queued) {
          if (running.size >= maxConcurrent) break;
          let route: RouteRequest;
          try {
            route = routeFor(task);
          } catch (error) {
            await deps.tasks.updateStatus(task.id, { status: 'failed', error: toAppError(error) });
            await emit(task.id);
            continue;
          }
          const plan = await deps.router.plan(route, { taskId: task.id });
          // A candidate only cooling off (a Retry-After) is worth starting for: the call waits
          // for it when the wait fits, and reports why when it does not.
          const first = plan.candidates[0] ?? plan.standby[0];
          if (!first) {
            await endWithoutCandidates(task, plan);
            continue;
          }
          const busy = [...running.values()].filter((entry) => entry.connectionId === first.connectionId).length;
          if (busy >= perConnection) continue;
          void execute(task, plan, route)
            .catch(async (error: unknown) => {
              running.delete(task.id);
              // After stop() the database is closed: the task stays as it was and resumes next start.
              if (stopped) return;
              await deps.tasks.updateStatus(task.id, { status: 'failed', error: toAppError(error) });
              await emit(task.id);
            })
            .catch((error: unknown) => {
              if (!stopped) console.error('Task runner could not record a failed task:', error);
            });
        }
      } while (pumpAgain && !stopped);
    } catch (error) {
      // After stop() the database closes under a pump still in flight: it has nothing left to do.
      if (!stopped) throw error;
    } finally {
      pumping = false;
    }
  };

  /** A paused task goes back to the queue as soon as routing finds a candidate for it again. */
  const recheckPaused = async () => {
    for (const id of pauses.ids()) {
      const task = await deps.tasks.get(id);
      if (!task || task.status !== 'paused') {
        pauses.remove(id);
        continue;
      }
      const plan = await deps.router.plan(routeFor(task), { taskId: id });
      if (plan.candidates.length === 0) {
        // Settings changed under it (a connection removed): work that can never run stops waiting.
        if (plan.standby.length === 0 && !taskWaitsFor(emptyPlanError(plan))) await endWithoutCandidates(task, plan);
        continue;
      }
      pauses.remove(id);
      await deps.tasks.updateStatus(id, { status: 'queued', pausedReason: null });
      await emit(id);
    }
    await pump();
  };

  return {
    async create(input: TaskInput) {
      agentFor(input.agent);
      const named = input.modelOverride;
      if (named && !deps.settings.get().connections.some((connection) => connection.id === named.connectionId))
        throw new AppErrorException(
          appError('not_found', `There is no provider "${named.connectionId}" any more. Pick another provider for this task.`, {
            field: 'modelOverride',
          }),
        );
      const task = await deps.tasks.create(input);
      deps.emitTask(task);
      void pump();
      return task;
    },
    list: () => deps.tasks.list(),
    async get(id: string) {
      const task = await deps.tasks.get(id);
      if (!task) throw new AppErrorException(appError('not_found', 'That task no longer exists.'));
      return task;
    },
    async cancel(id: string) {
      const active = running.get(id);
      if (active) return active.controller.abort();
      pauses.remove(id);
      const task = await deps.tasks.get(id);
      if (task && ['queued', 'paused'].includes(task.status)) {
        await deps.tasks.updateStatus(id, { status: 'cancelled' });
        await emit(id);
      }
    },
    async retry(id: string) {
      const task = await deps.tasks.get(id);
      if (!task) throw new AppErrorException(appError('not_found', 'That task no longer exists.'));
      if (running.has(id)) return;
      pauses.remove(id);
      await deps.tasks.updateStatus(id, { status: 'queued', pausedReason: null, error: null });
      await emit(id);
      await pump();
    },
    /** At start-up: running tasks were cut off (marked interrupted); queued and paused ones go on. */
    async start() {
      await deps.tasks.markRunningAsInterrupted();
      for (const task of await deps.tasks.listResumable()) if (task.status === 'paused') pauses.add(task.id, []);
      await recheckPaused();
    },
    /** Health or settings changed: paused tasks may be able to go on. */
    wake: () => pauses.wake(),
    stop() {
      stopped = true;
      pauses.stop();
      for (const entry of running.values()) entry.controller.abort();
    },
  };
}

export type TaskRunner = ReturnType<typeof createTaskRunner>;
