import type { ConnectionHealth } from '../../../../src-shared/schemas/health';
import type { ModelFacts } from '../../../../src-shared/schemas/connection';
import type { RouteCandidate, RoutePlan } from '../../../../src-shared/schemas/route-plan';
import type { ExecutionEvent } from '../../../../src-shared/schemas/execution-event';
import { executeCall, type ExecutionPorts, type ExecutionRequest } from '../../../../src-main/engine/execute';
import { healthEventForOutcome, initialHealth, reduceHealth } from '../../../../src-main/engine/health';
import type { AttemptOutcome } from '../../../../src-main/engine/ports';
import { FakeClock, SequenceRandom } from './fake-clock';
import { ScriptedAdapter, type Script } from './scripted-adapter';
import { collect } from './fixtures';

/** A candidate for hand-written plans; the name is the id capitalised. */
export function candidate(connectionId: string, overrides: Partial<RouteCandidate> = {}): RouteCandidate {
  return {
    connectionId,
    connectionName: connectionId[0]!.toUpperCase() + connectionId.slice(1),
    model: `${connectionId}-model`,
    source: 'tier',
    sameProviderRetries: 0,
    reason: 'test',
    notes: [],
    ...overrides,
  };
}

export function planOf(...candidates: RouteCandidate[]): RoutePlan {
  return { kind: 'task', candidates, skipped: [], notes: [], waitingFor: [], standby: [] };
}

export const hello: ExecutionRequest = { messages: [{ role: 'user', content: 'hello' }] };

/**
 * Scripted adapters per connection id, a fake clock, and the real health reducer fed by the
 * executor's outcomes, so tests assert on the dot a user would see.
 */
export function harness(scripts: Record<string, Script[]>, options: { autoAdvance?: boolean; random?: number[]; facts?: ModelFacts } = {}) {
  const clock = new FakeClock(undefined, options.autoAdvance ?? true);
  const adapters = new Map(Object.entries(scripts).map(([id, list]) => [id, new ScriptedAdapter(id, list, clock)]));
  const outcomes: Array<{ connectionId: string; outcome: AttemptOutcome }> = [];
  const health: Record<string, ConnectionHealth> = {};
  const ports: ExecutionPorts = {
    clock,
    random: new SequenceRandom(options.random ?? [0.5]),
    adapterFor: (id) => adapters.get(id),
    onAttemptOutcome: (connectionId, outcome) => {
      outcomes.push({ connectionId, outcome });
      const event = healthEventForOutcome(outcome);
      if (event) health[connectionId] = reduceHealth(health[connectionId] ?? initialHealth(connectionId), event, clock.now());
    },
    modelFacts: () => options.facts,
  };
  const adapter = (id: string): ScriptedAdapter => {
    const found = adapters.get(id);
    if (!found) throw new Error(`no adapter ${id}`);
    return found;
  };
  const run = (plan: RoutePlan, request: ExecutionRequest = hello, extra: Partial<ExecutionPorts> = {}): Promise<ExecutionEvent[]> =>
    collect(executeCall(plan, request, { ...ports, ...extra }));
  const colorOf = (id: string): string => health[id]?.color ?? 'grey';
  return { clock, adapters, adapter, outcomes, health, ports, run, colorOf };
}

/** A compact trace of the events, for asserting the order of what happened. */
export function trace(events: ExecutionEvent[]): string[] {
  return events.flatMap((event): string[] => {
    switch (event.type) {
      case 'attempt-start':
        return [`start ${event.connectionId}#${event.attempt}`];
      case 'attempt-error':
        return [`error ${event.connectionId}#${event.attempt} ${event.error.code}${event.willRetry ? ` retry in ${event.retryInMs}` : ''}`];
      case 'fallback':
        return [`fallback ${event.from.connectionId}->${event.to.connectionId} (${event.code})${event.escalation ? ' escalation' : ''}`];
      case 'stream-interrupted':
        return [`interrupted ${event.connectionId}${event.continuing ? ' continuing' : ''}`];
      case 'finish':
        return [`finish ${event.connectionId} "${event.text}"${event.interrupted ? ' interrupted' : ''}`];
      case 'error':
        return [`fail ${event.error.code}${event.interrupted ? ' interrupted' : ''}`];
      case 'text-delta':
        return [`text "${event.text}"`];
      case 'model-loading':
        return [`loading ${event.connectionId} ${event.model}`];
      case 'model-loaded':
        return [`loaded ${event.connectionId} in ${event.loadMs}`];
      default:
        return [];
    }
  });
}
