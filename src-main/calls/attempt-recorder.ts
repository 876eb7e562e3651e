import type { AppError } from '../../src-shared/errors/app-error';
import type { CallLogInput, CallOutcome, CallReason } from '../../src-shared/schemas/call-log';
import type { ProviderKind } from '../../src-shared/schemas/connection';
import { messageText, type AnswerSource, type ChatMessage, type ToolCall } from '../../src-shared/schemas/chat-message';
import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import type { RoutePlan } from '../../src-shared/schemas/route-plan';
import { emptySummary, summarizeEvent } from '../engine/call-summary';
import type { ExecutionRequest } from '../engine/execute';
import type { SettingsService } from '../settings/settings-service';

export type CallSource = 'chat' | 'task' | 'gateway';

/** Where attempts are recorded (the SQLite call log in the app); `secrets` are redacted from everything stored. */
export interface CallLogSink {
  record(entry: CallLogInput, secrets: string[]): Promise<void>;
}

type Entry = CallLogInput & { reasons: CallReason[]; response: string };

interface Open {
  entry: Entry;
  startedAt: number;
}

function callText(call: ToolCall): string {
  return `-> ${call.name}(${call.arguments}) [${call.id}]`;
}

function turnText(message: ChatMessage): string {
  if (message.role === 'tool') return `tool [${message.toolCallId ?? ''}]${message.isError ? ' (error)' : ''}: ${messageText(message)}`;
  const calls = (message.toolCalls ?? []).map(callText);
  return [`${message.role}: ${messageText(message)}`, ...calls].join('\n');
}

/** What the log keeps of an answer beyond its text: the tool calls and the sources, numbered. */
export function answerExtras(toolCalls: readonly ToolCall[] | undefined, sources: readonly AnswerSource[] | undefined): string {
  const parts: string[] = [];
  if (toolCalls && toolCalls.length > 0) parts.push(toolCalls.map(callText).join('\n'));
  if (sources && sources.length > 0) {
    parts.push(
      ['Sources:', ...sources.map((source, index) => `[${index + 1}] ${source.title ? `${source.title} ` : ''}${source.url}`)].join('\n'),
    );
  }
  return parts.join('\n\n');
}

export function promptText(call: ExecutionRequest): string {
  const turns = call.messages.map(turnText);
  return [call.system ? `system: ${call.system}` : null, ...turns].filter(Boolean).join('\n\n');
}

/** Follows the execution events of one call and turns them into call-log rows. */
export function createAttemptRecorder(options: {
  source: CallSource;
  agent?: string;
  taskId?: string;
  conversationId?: string;
  /** The gateway client (token name) that made the call. */
  client?: string;
  plan: RoutePlan;
  call: ExecutionRequest;
  /** The caller's own notes, logged with the plan's. */
  notes?: readonly string[];
  settings: SettingsService;
  now(): number;
  sink?: CallLogSink;
  secrets?: () => Promise<string[]>;
}) {
  const pending: Entry[] = [];
  let open: Open | null = null;
  const reasons: CallReason[] = [
    ...options.plan.candidates.map((candidate, index): CallReason => ({
      kind: 'note',
      message: `#${index + 1} ${candidate.connectionName} · ${candidate.model}: ${candidate.reason}`,
      connectionId: candidate.connectionId,
      model: candidate.model,
    })),
    ...options.plan.notes.map((note): CallReason => ({ kind: 'note', message: note })),
    ...(options.notes ?? []).map((note): CallReason => ({ kind: 'note', message: note })),
    ...options.plan.skipped.map((skip): CallReason => ({
      kind: 'skipped',
      message: skip.message,
      connectionId: skip.connectionId,
      model: skip.model,
      code: skip.reason,
    })),
  ];
  const prompt = promptText(options.call);

  // Who is answering and what they said so far comes from the one call summary; the row adds timing.
  const summary = emptySummary();
  // `extras`: the answer's tool calls and sources, kept after its text.
  const close = (outcome: CallOutcome, error?: AppError, extras = '') => {
    if (!open) return;
    open.entry.outcome = outcome;
    open.entry.response = extras ? (summary.text ? `${summary.text}\n\n${extras}` : extras) : summary.text;
    if (summary.modelVersion !== undefined) open.entry.modelVersion = summary.modelVersion;
    if (summary.usage) {
      open.entry.inputTokens = summary.usage.inputTokens;
      open.entry.outputTokens = summary.usage.outputTokens;
      if (summary.usage.costUsd !== undefined) open.entry.costUsd = summary.usage.costUsd;
    }
    open.entry.latencyMs = options.now() - open.startedAt;
    if (error) {
      open.entry.errorCode = error.code;
      open.entry.errorMessage = error.message;
    }
    pending.push(open.entry);
    open = null;
  };

  return {
    observe(event: ExecutionEvent) {
      // The row of the attempt that just ended is closed with that attempt's summary.
      if (event.type === 'attempt-start') close('error');
      summarizeEvent(summary, event);
      switch (event.type) {
        case 'attempt-start': {
          const connection = options.settings.get().connections.find((item) => item.id === event.connectionId);
          open = {
            startedAt: options.now(),
            entry: {
              at: options.now(),
              source: options.source,
              ...(options.agent ? { agent: options.agent } : {}),
              ...(options.conversationId ? { conversationId: options.conversationId } : {}),
              ...(options.taskId ? { taskId: options.taskId } : {}),
              ...(options.client ? { client: options.client } : {}),
              connectionId: event.connectionId,
              connectionName: event.connectionName,
              providerKind: (connection?.kind ?? 'custom') as ProviderKind,
              requestedModel: event.model,
              attempt: event.attempt,
              fallbackPosition: event.candidateIndex,
              reasons: [...reasons],
              outcome: 'error',
              prompt,
              response: '',
            },
          };
          return;
        }
        case 'model-loaded':
          // Loading is not failing: the log says where the time went.
          if (open) {
            reasons.push({
              kind: 'note',
              message: `${open.entry.connectionName} loaded ${event.model} first (${Math.round(event.loadMs / 100) / 10} s)`,
              connectionId: event.connectionId,
              model: event.model,
            });
            open.entry.reasons = [...reasons];
          }
          return;
        case 'text-delta':
          if (open) open.entry.timeToFirstTokenMs ??= options.now() - open.startedAt;
          return;
        case 'attempt-error':
          if (!open) return;
          if (event.willRetry) {
            reasons.push({
              kind: 'retry',
              message: `${open.entry.connectionName}: ${event.error.message}; retrying${event.retryInMs !== undefined ? ` in ${Math.round(event.retryInMs)} ms` : ''}`,
              connectionId: event.connectionId,
              model: event.model,
              code: event.error.code,
            });
          }
          if (event.error.code === 'empty_answer' || event.error.code === 'schema_mismatch') close('escalated', event.error);
          else if (!event.willRetry && summary.text.length > 0) close('interrupted', event.error);
          else close('error', event.error);
          return;
        case 'cool-off':
          reasons.push({
            kind: event.waiting ? 'retry' : 'skipped',
            message: event.message,
            connectionId: event.connectionId,
            model: event.model,
            code: 'cooling_off',
          });
          return;
        case 'fallback':
          reasons.push({
            kind: event.escalation ? 'escalation' : 'fallback',
            message: `${event.from.connectionName} -> ${event.to.connectionName}: ${event.reason}`,
            connectionId: event.from.connectionId,
            model: event.from.model,
            code: event.code,
          });
          return;
        case 'parameters-dropped':
          if (open) {
            open.entry.reasons.push({
              kind: 'note',
              message: `Not sent to ${open.entry.connectionName} (it cannot take them): ${event.names.join(', ')}`,
              connectionId: event.connectionId,
              model: open.entry.requestedModel,
            });
          }
          return;
        case 'finish': {
          if (open && event.modelVersion) open.entry.modelVersion = event.modelVersion;
          close(event.finishReason === 'length' ? 'cut' : 'success', undefined, answerExtras(event.toolCalls, event.sources));
          return;
        }
        case 'error':
          close('error', event.error);
          return;
        default:
          return;
      }
    },
    async flush() {
      close('error');
      if (!options.sink || pending.length === 0) return;
      const secrets = (await options.secrets?.()) ?? [];
      for (const entry of pending.splice(0)) await options.sink.record(entry, secrets).catch(() => undefined);
    },
  };
}
