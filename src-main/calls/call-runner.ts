import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import type { RoutePlan, RouteRequest } from '../../src-shared/schemas/route-plan';
import { executeCall, type ExecutionRequest } from '../engine/execute';
import { healthEventForOutcome } from '../engine/health';
import type { Clock, ProviderAdapter, Random } from '../engine/ports';
import type { ConnectionService } from '../connections/connection-service';
import { createConnectionLookup } from '../connections/connection-lookup';
import { effectiveModelFacts } from '../providers/catalog';
import type { PriceList } from '../providers/prices/price-list';
import type { HealthMonitor } from '../health/health-monitor';
import type { RouterService } from '../routing/router-service';
import type { SettingsService } from '../settings/settings-service';
import { laterCoolOff } from '../engine/cool-off';
import { createAttemptRecorder, type CallLogSink, type CallSource } from './attempt-recorder';
import type { RateLimiter } from './rate-limiter';

/** One call to route and run: who asks, what routing should consider, and the prompt with its limits. */
export interface CallSpec {
  source: CallSource;
  route: RouteRequest;
  call: ExecutionRequest;
  agent?: string;
  taskId?: string;
  conversationId?: string;
  /** The gateway client (token name) that made a gateway call, for the call log. */
  client?: string;
  /** Checks a finished answer (an agent's JSON schema); an error escalates to a stronger model. */
  validateAnswer?: Parameters<typeof executeCall>[2]['validateAnswer'];
  /** Where a poor answer escalates to; defaults to the plan's next candidate. */
  strongerCandidate?: Parameters<typeof executeCall>[2]['strongerCandidate'];
  /** Notes for the call log from the caller (request fields it could not pass on to any backend). */
  notes?: string[];
}

export interface CallRunner {
  /** Runs a call through its plan (computed here unless given), logging every attempt. */
  run(spec: CallSpec, plan?: RoutePlan): AsyncGenerator<ExecutionEvent, RoutePlan>;
}

export interface CallRunnerDependencies {
  router: RouterService;
  /** Adapters by connection; `readyAdapter`, where given, spares a call the wait for the ones built before. */
  connections: Pick<ConnectionService, 'adapter'> & Partial<Pick<ConnectionService, 'readyAdapter'>>;
  health: HealthMonitor;
  settings: SettingsService;
  clock: Clock;
  random: Random;
  callLog?: CallLogSink;
  /** Texts that must never reach the log (API keys), gathered at call time. */
  secrets?: () => Promise<string[]>;
  /** The price list calls are priced with. */
  prices?: () => PriceList;
  /** Each connection's rate limits: a connection at one is held like one that asked to wait. */
  rateLimiter?: RateLimiter;
}

/**
 * The one pipeline behind chat, tasks and the gateway: plan (DESIGN.md points 2 to 4), run with
 * retries and fallbacks (points 5 to 8), feed passive health, and record each attempt in the log.
 */
export function createCallRunner(deps: CallRunnerDependencies): CallRunner {
  const connectionById = createConnectionLookup(deps.settings);
  return {
    async *run(spec, given) {
      const plan = given ?? (await deps.router.plan(spec.route, spec.taskId ? { taskId: spec.taskId } : undefined));
      // Only the plan's candidates (standby ones included) get an adapter (and so a key read), all at once: the keychain
      // is async, and the engine asks for adapters synchronously. A call that may escalate also
      // needs the tier ladder's connections, since a stronger tier can name one outside the plan.
      const adapters = new Map<string, ProviderAdapter>();
      const ladder = spec.strongerCandidate
        ? deps.settings.get().routing.tiers.flatMap((tier) => tier.entries.map((entry) => entry.connectionId))
        : [];
      // Candidates on standby (cooling off, at a rate limit) may be waited for and then called.
      const planned = new Set<string>();
      for (const candidate of plan.candidates) planned.add(candidate.connectionId);
      for (const candidate of plan.standby) planned.add(candidate.connectionId);
      for (const connectionId of ladder) planned.add(connectionId);
      // Adapters built for an earlier call are taken at once; only the others wait for the keychain.
      const missing: string[] = [];
      for (const connectionId of planned) {
        const ready = deps.connections.readyAdapter?.(connectionId);
        if (ready) adapters.set(connectionId, ready);
        else missing.push(connectionId);
      }
      if (missing.length > 0)
        await Promise.all(
          missing.map(async (connectionId) => {
            try {
              adapters.set(connectionId, await deps.connections.adapter(connectionId));
            } catch {
              // A connection whose key cannot be read fails its attempt as "no adapter", and routing moves on.
            }
          }),
        );
      const recorder = createAttemptRecorder({
        source: spec.source,
        agent: spec.agent,
        taskId: spec.taskId,
        conversationId: spec.conversationId,
        ...(spec.client ? { client: spec.client } : {}),
        plan,
        call: spec.call,
        ...(spec.notes ? { notes: spec.notes } : {}),
        settings: deps.settings,
        now: () => deps.clock.now(),
        sink: deps.callLog,
        secrets: deps.secrets,
      });
      // Connections on trial whose deciding call is this one.
      const trialsTaken = new Set<string>();
      const limiter = deps.rateLimiter;
      const forChat = spec.source === 'chat';
      // Calls this one has under way (counted against calls at once) and the connection a chat waits for.
      const started: string[] = [];
      let chatWaitsFor: string | undefined;
      const stopWaiting = () => {
        if (chatWaitsFor !== undefined) limiter?.chatWaiting(chatWaitsFor, false);
        chatWaitsFor = undefined;
      };
      const events = executeCall(plan, spec.call, {
        clock: deps.clock,
        random: deps.random,
        adapterFor: (connectionId) => adapters.get(connectionId),
        coolOff: (connectionId) => {
          const known = deps.health.get(connectionId).coolOff;
          const held = limiter?.hold(connectionId, forChat);
          return held ? laterCoolOff(known, held) : known;
        },
        admit: (connectionId) => {
          const trial = deps.health.get(connectionId).onTrial;
          const admitted = deps.health.admit(connectionId);
          if (admitted && trial) trialsTaken.add(connectionId);
          if (admitted && limiter) {
            limiter.start(connectionId);
            started.push(connectionId);
          }
          return admitted;
        },
        onAttemptOutcome: (connectionId, outcome) => {
          const event = healthEventForOutcome(outcome);
          if (event) deps.health.record(connectionId, event);
          // Only the call that took a trial gives it back (a neutral ending decides nothing).
          if (trialsTaken.delete(connectionId)) deps.health.release(connectionId);
          const index = started.indexOf(connectionId);
          if (index >= 0) {
            started.splice(index, 1);
            limiter?.finish(connectionId);
          }
        },
        modelFacts: (connectionId, model) => {
          const connection = connectionById(connectionId);
          return connection ? effectiveModelFacts(connection, model, deps.prices?.()) : undefined;
        },
        ...(spec.validateAnswer ? { validateAnswer: spec.validateAnswer } : {}),
        ...(spec.strongerCandidate ? { strongerCandidate: spec.strongerCandidate } : {}),
      });
      // The rows are written however the call ends: finished, failed, thrown, or abandoned by a
      // consumer that stopped reading (a client that went away, a title call given up on).
      try {
        for await (const event of events) {
          recorder.observe(event);
          if (event.type === 'usage') limiter?.useTokens(event.connectionId, event.inputTokens + event.outputTokens);
          if (forChat && limiter) {
            // Chat goes first: while it waits for a slot, tasks and gateway calls leave it the next one.
            if (event.type === 'cool-off' && event.waiting) {
              stopWaiting();
              chatWaitsFor = event.connectionId;
              limiter.chatWaiting(event.connectionId, true);
            } else if (event.type === 'attempt-start' || event.type === 'error' || event.type === 'finish') stopWaiting();
          }
          yield event;
        }
      } finally {
        stopWaiting();
        // A call abandoned mid-attempt never reports its outcome: its trial and its slot are free again.
        for (const connectionId of started) limiter?.finish(connectionId);
        for (const connectionId of trialsTaken) deps.health.release(connectionId);
        await recorder.flush();
      }
      return plan;
    },
  };
}
