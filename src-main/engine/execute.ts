import { appError, type AppError } from '../../src-shared/errors/app-error';
import { countsAgainstProvider, describeFailure } from '../../src-shared/errors/error-traits';
import type { ModelFacts } from '../../src-shared/schemas/connection';
import type { ExecutionEvent, ExecutionTarget } from '../../src-shared/schemas/execution-event';
import type { CoolOff } from '../../src-shared/schemas/health';
import type { RouteCandidate, RoutePlan } from '../../src-shared/schemas/route-plan';
import { runAttempt, type AttemptResult, type ExecutionRequest } from './attempt';
import { backoffDelayMs, sleepUnlessAborted } from './backoff';
import { coolOffFromError, coolOffMessage, laterCoolOff, waitWords } from './cool-off';
import type { AttemptOutcome, Clock, Logger, ProviderAdapter, Random } from './ports';

export type { ExecutionRequest } from './attempt';

/** A Retry-After longer than this moves on instead of waiting, unless the request says otherwise. */
export const defaultMaxRetryAfterMs = 60_000;

/** What executing a plan needs from outside the engine. */
export interface ExecutionPorts {
  clock: Clock;
  random: Random;
  /** The adapter for a connection; undefined when it is gone. */
  adapterFor(connectionId: string): ProviderAdapter | undefined;
  /** The connection's cool-off as known outside this call (another call's Retry-After). */
  coolOff?(connectionId: string): CoolOff | null | undefined;
  /**
   * Asked before each real call: false when the connection may not be called now (red since the
   * plan was made, or on trial with its one deciding call taken by another call).
   */
  admit?(connectionId: string): boolean;
  /** Fed with every attempt's outcome, so passive health follows real traffic. */
  onAttemptOutcome?(connectionId: string, outcome: AttemptOutcome): void;
  /** Model facts for pricing usage. */
  modelFacts?(connectionId: string, model: string): ModelFacts | undefined;
  /** Checks a finished answer (e.g. against the agent's JSON schema); an error escalates. */
  validateAnswer?(text: string, candidate: RouteCandidate): AppError | undefined;
  /** Where to escalate after a poor answer; defaults to the next candidate of the plan. */
  strongerCandidate?(current: RouteCandidate, plan: RoutePlan): RouteCandidate | undefined;
  logger?: Logger;
}

// Quality failures escalate to a stronger model instead of plain fallback (DESIGN.md point 7).
const qualityCodes = new Set(['empty_answer', 'schema_mismatch']);

function target(candidate: RouteCandidate): ExecutionTarget {
  return { connectionId: candidate.connectionId, connectionName: candidate.connectionName, model: candidate.model };
}

function sameTarget(left: RouteCandidate, right: RouteCandidate): boolean {
  return left.connectionId === right.connectionId && left.model === right.model;
}

function outcomeOf(result: Extract<AttemptResult, { ok: false }>): AttemptOutcome {
  // Only the provider's own failures and silences count; a tight latency budget, the call's
  // overall limit or a cancel say nothing about whether the provider is up.
  const counts = (result.cause === 'provider' && countsAgainstProvider(result.error.code)) || result.cause === 'idle';
  return counts ? { type: 'failure', error: result.error } : { type: 'neutral', error: result.error };
}

function qualityError(
  result: Extract<AttemptResult, { ok: true }>,
  candidate: RouteCandidate,
  request: ExecutionRequest,
  ports: ExecutionPorts,
): AppError | undefined {
  if (request.rejectEmpty && result.text.trim().length === 0 && result.toolCalls.length === 0) {
    return appError('empty_answer', `${candidate.connectionName} gave an empty answer`, { provider: candidate.connectionId });
  }
  // A turn that calls tools answers later, after the results: there is nothing to check yet.
  if (result.toolCalls.length > 0) return undefined;
  return ports.validateAnswer?.(result.text, candidate);
}

/**
 * Why a plan with no candidates cannot run. A prompt larger than every candidate's input limit is
 * the caller's to shorten, and work no connection could ever take fails with its reason (waiting
 * or retrying will not help); anything else waits for a backend.
 */
export function emptyPlanError(plan: RoutePlan): AppError {
  if (plan.skipped.length > 0 && plan.skipped.every((skip) => skip.reason === 'input_too_large')) {
    const first = plan.skipped[0]!.message;
    return appError(
      'context_length_exceeded',
      `The prompt is larger than every candidate model allows${first ? ` (${first})` : ''}: shorten it or route it to a model with a larger window`,
      { retryable: false, fallbackable: false },
    );
  }
  if (plan.unroutable !== undefined) return appError('unroutable', plan.unroutable);
  // Chat goes to Primary only: when Primary is over its monthly cap, say so (the chat offers
  // "Retry on X" and "Answer anyway this once").
  const overCap = plan.kind === 'chat' ? plan.skipped[0] : undefined;
  if (overCap?.reason === 'over_budget') {
    return appError('budget_exceeded', `${overCap.message}.`, { provider: overCap.connectionId });
  }
  return appError('no_candidates', plan.pausedReason ?? 'Nothing healthy to send this to');
}

/** A candidate set aside until its cool-off passes, and the attempt it resumes with. */
interface Waiting {
  candidate: RouteCandidate;
  until: number;
  reason: string;
  attempt: number;
}

/** Where the loop goes after a failed candidate. */
interface Handoff {
  from: RouteCandidate;
  error: AppError;
  escalation: boolean;
}

/**
 * Runs a route plan (DESIGN.md points 5 to 8): each candidate with its same-provider retries
 * (exponential backoff with full jitter, Retry-After wins, never past the deadline), then the
 * next candidate when the error allows it. A stream that broke after tokens were shown never
 * ends in a clean finish: it is reported as interrupted, and continues only when asked to.
 */
export async function* executeCall(
  plan: RoutePlan,
  request: ExecutionRequest,
  ports: ExecutionPorts,
): AsyncGenerator<ExecutionEvent, void> {
  const { clock } = ports;
  const deadline = request.totalTimeoutMs != null ? clock.now() + request.totalTimeoutMs : Infinity;
  const maxRetryAfterMs = request.maxRetryAfterMs ?? defaultMaxRetryAfterMs;
  const queue = [...plan.candidates];
  // Candidates cooling off (DESIGN.md point 5): skipped while anything else is left, then
  // waited for, earliest first, when the wait fits this call's limits.
  const coolOffs = new Map<string, CoolOff>();
  const coolOffOf = (connectionId: string): CoolOff | undefined => {
    const known = ports.coolOff?.(connectionId) ?? undefined;
    const local = coolOffs.get(connectionId);
    const latest = local && known ? laterCoolOff(known, local) : (local ?? known);
    return latest && latest.until > clock.now() ? latest : undefined;
  };
  const waiting: Waiting[] = plan.standby.map((item) => {
    const { availableAt, ...candidate } = item;
    return { candidate, until: availableAt, reason: coolOffOf(candidate.connectionId)?.reason ?? 'asked to wait', attempt: 1 };
  });
  const readyLeft = (): boolean => queue.some((item) => coolOffOf(item.connectionId) === undefined);
  let attempts = 0;
  let position = 0;
  let interrupted = false;
  let escalated = false;
  let escalatedFrom: ExecutionTarget | undefined;
  let handoff: Handoff | undefined;
  let lastError: AppError | undefined;
  const report = (candidate: RouteCandidate, outcome: AttemptOutcome): void => ports.onAttemptOutcome?.(candidate.connectionId, outcome);
  const fail = (error: AppError): ExecutionEvent => ({ type: 'error', error, attempts, interrupted });

  if (queue.length === 0 && waiting.length === 0) {
    yield fail(emptyPlanError(plan));
    return;
  }

  for (;;) {
    let candidate = queue.shift();
    let firstAttempt = 1;
    if (candidate) {
      const coolOff = coolOffOf(candidate.connectionId);
      if (coolOff) {
        // Cooling off since the plan was made (this call or another): set aside, not called.
        waiting.push({ candidate, until: coolOff.until, reason: coolOff.reason, attempt: 1 });
        yield {
          type: 'cool-off',
          ...target(candidate),
          until: coolOff.until,
          message: coolOffMessage(candidate.connectionName, coolOff, clock.now()),
          waiting: false,
        };
        continue;
      }
    } else {
      waiting.sort((left, right) => left.until - right.until);
      const next = waiting.shift();
      if (!next) break;
      const waitMs = Math.max(0, next.until - clock.now());
      if (waitMs > maxRetryAfterMs || clock.now() + waitMs >= deadline) {
        yield fail(
          appError(
            'rate_limited',
            `${next.candidate.connectionName} ${next.reason} for ${waitWords(waitMs)}, longer than this call may wait`,
            {
              provider: next.candidate.connectionId,
              retryAfterMs: waitMs,
            },
          ),
        );
        return;
      }
      candidate = next.candidate;
      firstAttempt = next.attempt;
      if (waitMs > 0) {
        yield {
          type: 'cool-off',
          ...target(candidate),
          until: next.until,
          message: `Nothing else left: waiting ${waitWords(waitMs)} for ${candidate.connectionName}, which ${next.reason}`,
          waiting: true,
        };
        if (!(await sleepUnlessAborted(clock, waitMs, request.signal))) {
          yield fail(appError('aborted', 'Cancelled'));
          return;
        }
      }
    }
    if (handoff) {
      yield {
        type: 'fallback',
        from: target(handoff.from),
        to: target(candidate),
        reason: describeFailure(handoff.from.connectionName, handoff.error.code),
        code: handoff.error.code,
        escalation: handoff.escalation,
      };
    }
    const candidateIndex = position++;
    for (let attempt = firstAttempt; ; attempt += 1) {
      if (request.signal?.aborted) {
        yield fail(appError('aborted', 'Cancelled'));
        return;
      }
      if (clock.now() >= deadline) {
        yield fail(appError('timeout', 'Ran out of time for this call', { retryable: false, fallbackable: false }));
        return;
      }
      // Looked at again just before the call, with nothing in between: a wait that ended may find
      // the slot taken by another call, and a limit reached since the plan holds this call too.
      const heldOff = coolOffOf(candidate.connectionId);
      if (heldOff) {
        waiting.push({ candidate, until: heldOff.until, reason: heldOff.reason, attempt });
        yield {
          type: 'cool-off',
          ...target(candidate),
          until: heldOff.until,
          message: coolOffMessage(candidate.connectionName, heldOff, clock.now()),
          waiting: false,
        };
        break;
      }
      if (ports.admit && !ports.admit(candidate.connectionId)) {
        // Not called at all; a retry stopped here hands over like any other failure.
        if (attempt > firstAttempt && lastError) handoff = { from: candidate, error: lastError, escalation: false };
        break;
      }
      attempts += 1;
      yield {
        type: 'attempt-start',
        connectionId: candidate.connectionId,
        connectionName: candidate.connectionName,
        model: candidate.model,
        source: candidate.source,
        attempt,
        candidateIndex,
      };
      const adapter = ports.adapterFor(candidate.connectionId);
      if (!adapter) ports.logger?.warn('No adapter for a planned connection', { connectionId: candidate.connectionId });
      const facts = ports.modelFacts?.(candidate.connectionId, candidate.model);
      const result = yield* runAttempt(candidate, request, { clock, adapter, facts }, deadline);
      const base = { type: 'attempt-error', connectionId: candidate.connectionId, model: candidate.model, attempt } as const;

      if (result.ok) {
        const poor = qualityError(result, candidate, request, ports);
        if (!poor) {
          const outcome: AttemptOutcome = { type: 'success', latencyMs: result.latencyMs };
          if (result.firstTokenMs !== undefined) outcome.firstTokenMs = result.firstTokenMs;
          report(candidate, outcome);
          yield {
            type: 'finish',
            connectionId: candidate.connectionId,
            model: candidate.model,
            ...(result.modelVersion === undefined ? {} : { modelVersion: result.modelVersion }),
            finishReason: result.finishReason,
            attempts,
            interrupted,
            text: result.text,
            ...(result.toolCalls.length > 0 ? { toolCalls: result.toolCalls } : {}),
            ...(result.reasoning.length > 0 ? { reasoning: result.reasoning } : {}),
            ...(result.sources.length > 0 ? { sources: result.sources } : {}),
            ...(escalatedFrom ? { escalatedFrom } : {}),
          };
          return;
        }
        // The provider answered; the answer was poor. That is no reason to mark it down.
        report(candidate, { type: 'neutral', error: poor });
        yield { ...base, error: poor, willRetry: false };
        lastError = poor;
        // An answer already streamed to a caller that cannot take a second one (a gateway client)
        // is not escalated: the call ends with the failure named, never as a success.
        const restartable = request.continueAfterInterruption !== false || (result.text.length === 0 && result.toolCalls.length === 0);
        const next =
          escalated || !restartable || !qualityCodes.has(poor.code) ? undefined : (ports.strongerCandidate?.(candidate, plan) ?? queue[0]);
        if (!next || !poor.fallbackable) {
          yield fail(poor);
          return;
        }
        // Retried once on the stronger model; the rest of the plan stays behind it.
        const existing = queue.findIndex((item) => sameTarget(item, next));
        if (existing >= 0) queue.splice(existing, 1);
        queue.unshift(next);
        escalated = true;
        escalatedFrom = target(candidate);
        handoff = { from: candidate, error: poor, escalation: true };
        break;
      }

      report(candidate, outcomeOf(result));
      const error = result.error;
      lastError = error;
      if (result.cause === 'aborted') {
        yield fail(error);
        return;
      }
      if (result.textShown) {
        interrupted = true;
        const continuing =
          result.cause !== 'deadline' && request.continueAfterInterruption === true && error.fallbackable && queue.length > 0;
        yield { ...base, error, willRetry: false };
        yield { type: 'stream-interrupted', connectionId: candidate.connectionId, model: candidate.model, error, continuing };
        if (!continuing) {
          const broken = error.fallbackable
            ? appError('stream_interrupted', `${candidate.connectionName} stopped mid-answer: ${error.message}`, {
                provider: candidate.connectionId,
              })
            : error;
          yield fail(broken);
          return;
        }
        // Restarting the same provider would show the answer twice; the next candidate takes over.
        handoff = { from: candidate, error, escalation: false };
        break;
      }
      const coolOff = coolOffFromError(error, clock.now());
      if (coolOff) {
        coolOffs.set(candidate.connectionId, laterCoolOff(coolOffs.get(candidate.connectionId), coolOff));
        if (error.retryable && error.fallbackable && attempt <= candidate.sameProviderRetries && readyLeft()) {
          // Honour the Retry-After by calling the others first; come back only if they all fail.
          waiting.push({ candidate, until: coolOff.until, reason: coolOff.reason, attempt: attempt + 1 });
          yield { ...base, error, willRetry: false };
          yield {
            type: 'cool-off',
            ...target(candidate),
            until: coolOff.until,
            message: coolOffMessage(candidate.connectionName, coolOff, clock.now()),
            waiting: false,
          };
          handoff = { from: candidate, error, escalation: false };
          break;
        }
      }
      if (error.retryable && attempt <= candidate.sameProviderRetries) {
        const delay = backoffDelayMs(attempt - 1, ports.random, error.retryAfterMs);
        const withinLimits = delay <= maxRetryAfterMs && clock.now() + delay < deadline;
        if (withinLimits) {
          yield { ...base, error, willRetry: true, retryInMs: delay };
          if (!(await sleepUnlessAborted(clock, delay, request.signal))) {
            yield fail(appError('aborted', 'Cancelled'));
            return;
          }
          continue;
        }
      }
      yield { ...base, error, willRetry: false };
      if (!error.fallbackable) {
        yield fail(error);
        return;
      }
      handoff = { from: candidate, error, escalation: false };
      break;
    }
  }
  yield fail(lastError ?? appError('no_candidates', 'Every candidate failed'));
}
