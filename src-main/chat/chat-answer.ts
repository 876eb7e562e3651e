import { appError, type AppError } from '../../src-shared/errors/app-error';
import type { ChatMessage } from '../../src-shared/schemas/chat-message';
import type { ModelLoadingState, RetryOption } from '../../src-shared/schemas/chat-ipc';
import type { ClaudeTier } from '../../src-shared/schemas/claude-selection';
import type { RoutePlan, RouteRequest } from '../../src-shared/schemas/route-plan';
import type { AnswerRoute, MessageProvenance, StoredMessage } from '../../src-shared/schemas/stored-conversation';
import type { TaskTraceEvent } from '../../src-shared/schemas/stored-task';
import type { CallRunner } from '../calls/call-runner';
import { emptySummary, summarizeEvent } from '../engine/call-summary';
import { traceEntry } from '../engine/call-trace';
import type { RouterService } from '../routing/router-service';
import type { SettingsService } from '../settings/settings-service';
import type { MessagesRepository } from '../storage/messages-repository';

const DATABASE_FLUSH_MS = 250;
/** Lines of an answer's trace kept with it: plenty for retries and fallbacks, small next to the text. */
const TRACE_KEPT = 60;
const SKIPS_KEPT = 20;

/** How the plan chose the backend that answered, and what happened on the way, for "Why this provider?". */
export function answerRoute(plan: RoutePlan, connectionId: string, model: string, trace: TaskTraceEvent[]): AnswerRoute | undefined {
  const chosen =
    plan.candidates.find((candidate) => candidate.connectionId === connectionId && candidate.model === model) ??
    plan.candidates.find((candidate) => candidate.connectionId === connectionId);
  if (!chosen) return undefined;
  return {
    reason: chosen.reason.slice(0, 500),
    source: chosen.source,
    skipped: plan.skipped
      .slice(0, SKIPS_KEPT)
      .map((skip) => ({ connectionName: skip.connectionName, model: skip.model, message: skip.message.slice(0, 500) })),
    // The first lines say how it started, the last how it ended; a very long middle is left out.
    trace: trace.length <= TRACE_KEPT ? trace : [...trace.slice(0, TRACE_KEPT / 2), ...trace.slice(-TRACE_KEPT / 2)],
  };
}
const RENDERER_FLUSH_MS = 40;

export interface AnswerPorts {
  messages: MessagesRepository;
  runner: CallRunner;
  router: RouterService;
  settings: SettingsService;
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
  onDelta(messageId: number, text: string): void;
  /** A local model started (state) or finished (null) loading for this answer. */
  onLoading?(messageId: number, loading: ModelLoadingState | null): void;
  onFinished(message: StoredMessage, retryOn: RetryOption | null): void;
}

export interface AnswerJob {
  conversationId: string;
  assistant: StoredMessage;
  history: ChatMessage[];
  route: RouteRequest;
  plan: RoutePlan;
  claude?: { tier: ClaudeTier; reason: string };
  signal: AbortSignal;
  autoFallback: boolean;
  /** Continue: the text the answer already has, which the new text follows. */
  continuing?: string;
}

/** The next healthy backend after the one that failed, for "Retry on X". */
export async function retryOption(router: RouterService, route: RouteRequest, failedConnectionId?: string): Promise<RetryOption | null> {
  const plan = await router.chatFallback(route);
  const next = plan.candidates.find((candidate) => candidate.connectionId !== failedConnectionId);
  return next ? { connectionId: next.connectionId, connectionName: next.connectionName } : null;
}

/**
 * Streams one answer into its stored message: text is appended to the database every 250 ms
 * (a crash keeps the partial answer) and to the window every 40 ms, and the message is finished
 * with its provenance, or with the error in words and a backend to retry on.
 */
export async function streamAnswer(job: AnswerJob, ports: AnswerPorts): Promise<void> {
  const startedAt = ports.now();
  const id = job.assistant.id;
  let unsavedText = '';
  let unsentText = '';
  let saveTimer: { cancel(): void } | null = null;
  let sendTimer: { cancel(): void } | null = null;
  let saving: Promise<void> = Promise.resolve();
  const saveNow = () => {
    saveTimer = null;
    if (!unsavedText) return;
    const text = unsavedText;
    unsavedText = '';
    saving = saving.then(() => ports.messages.appendText(id, text)).catch(() => undefined);
  };
  const sendNow = () => {
    sendTimer = null;
    if (!unsentText) return;
    ports.onDelta(id, unsentText);
    unsentText = '';
  };

  const summary = emptySummary();
  const trace: TaskTraceEvent[] = [];
  let firstTokenAt: number | undefined;
  let modelLoadMs: number | undefined;
  let status: 'complete' | 'cut' | 'interrupted' | 'error' = 'error';
  let failure: AppError | null = null;

  const events = ports.runner.run(
    {
      source: 'chat',
      route: job.route,
      conversationId: job.conversationId,
      call: {
        messages: job.history,
        signal: job.signal,
        idleTimeoutMs: 60_000,
        continueAfterInterruption: false,
      },
    },
    job.plan,
  );
  try {
    for await (const event of events) {
      summarizeEvent(summary, event);
      const line = traceEntry(event, ports.now());
      if (line) trace.push(line);
      switch (event.type) {
        case 'text-delta':
          firstTokenAt ??= ports.now();
          unsavedText += event.text;
          unsentText += event.text;
          saveTimer ??= ports.setTimer(saveNow, DATABASE_FLUSH_MS);
          sendTimer ??= ports.setTimer(sendNow, RENDERER_FLUSH_MS);
          break;
        case 'model-loading':
          ports.onLoading?.(id, { connectionName: event.connectionName, model: event.model, startedAt: ports.now() });
          break;
        case 'model-loaded':
          modelLoadMs = (modelLoadMs ?? 0) + event.loadMs;
          ports.onLoading?.(id, null);
          break;
        case 'finish':
          status = event.finishReason === 'length' ? 'cut' : 'complete';
          break;
        case 'error':
          failure = event.error;
          status = summary.shownText || job.continuing ? 'interrupted' : 'error';
          break;
        default:
          break;
      }
    }
  } catch (error) {
    failure = appError('internal', error instanceof Error ? error.message : String(error));
    status = summary.shownText || job.continuing ? 'interrupted' : 'error';
  }
  saveTimer?.cancel();
  sendTimer?.cancel();
  saveNow();
  sendNow();
  await saving;

  if (job.signal.aborted) {
    status = 'interrupted';
    failure = appError('aborted', 'Stopped before the answer finished.');
  }
  const connectionId = summary.connectionId;
  const connection = ports.settings.get().connections.find((item) => item.id === connectionId);
  const route =
    connectionId !== undefined && summary.model !== undefined ? answerRoute(job.plan, connectionId, summary.model, trace) : undefined;
  const provenance: MessageProvenance | null =
    connectionId !== undefined && summary.connectionName !== undefined && summary.model !== undefined
      ? {
          connectionId,
          connectionName: summary.connectionName,
          providerKind: connection?.kind ?? 'custom',
          modelRequested: summary.model,
          attempts: summary.attempts,
          totalMs: ports.now() - startedAt,
          ...(summary.modelVersion !== undefined ? { modelVersion: summary.modelVersion } : {}),
          ...(summary.usage
            ? {
                inputTokens: summary.usage.inputTokens,
                outputTokens: summary.usage.outputTokens,
                ...(summary.usage.costUsd !== undefined ? { costUsd: summary.usage.costUsd } : {}),
              }
            : {}),
          ...(summary.fallbackNote !== undefined ? { fallbackNote: summary.fallbackNote } : {}),
          ...(summary.finish?.sources?.length ? { sources: summary.finish.sources.slice(0, 100) } : {}),
          ...(job.claude ? { claudeTier: job.claude.tier, claudeTierReason: job.claude.reason } : {}),
          ...(firstTokenAt !== undefined ? { timeToFirstTokenMs: firstTokenAt - startedAt } : {}),
          ...(modelLoadMs !== undefined ? { modelLoadMs } : {}),
          ...(route ? { route } : {}),
        }
      : null;
  const finalText = summary.finish?.text;
  const message = await ports.messages.finishAssistantMessage(id, {
    status,
    // A continuation that never reached a backend keeps what the first part of the answer said.
    provenance: provenance ?? (job.continuing !== undefined ? job.assistant.provenance : null),
    error: failure,
    ...(finalText !== undefined ? { content: (job.continuing ?? '') + finalText } : {}),
  });
  const retryOn =
    status === 'error' || (status === 'interrupted' && failure?.code !== 'aborted')
      ? await retryOption(ports.router, job.route, connectionId)
      : null;
  ports.onFinished(message, retryOn);
}
