import type { AppError } from '../../src-shared/errors/app-error';
import { messageText } from '../../src-shared/schemas/chat-message';
import type { ExecutionEvent } from '../../src-shared/schemas/execution-event';
import type { RoutePlan } from '../../src-shared/schemas/route-plan';
import type { ExecutionRequest } from '../engine/execute';
import type { SettingsService } from '../settings/settings-service';

export type CallSource = 'chat' | 'task' | 'gateway';
export type AttemptOutcomeName = 'success' | 'error' | 'interrupted' | 'cut' | 'escalated';

/** One row of the call log: one attempt at one candidate. Never contains a key. */
export interface CallLogEntry {
  at: number;
  source: CallSource;
  agent: string | null;
  conversationId: string | null;
  taskId: string | null;
  connectionId: string;
  connectionName: string;
  providerKind: string;
  requestedModel: string;
  reportedModel: string | null;
  attempt: number;
  fallbackPosition: number;
  /** Why the plan looked the way it did and why earlier candidates were left. */
  reasons: string[];
  outcome: AttemptOutcomeName;
  errorCode: string | null;
  errorMessage: string | null;
  latencyMs: number;
  firstTokenMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  prompt: string;
  response: string;
}

/** Where attempts are recorded (the SQLite call log in the app). */
export interface CallLogSink {
  record(entry: CallLogEntry, secrets: string[]): Promise<void>;
}

interface Open {
  entry: CallLogEntry;
  startedAt: number;
}

export function promptText(call: ExecutionRequest): string {
  const turns = call.messages.map((message) => `${message.role}: ${messageText(message)}`);
  return [call.system ? `system: ${call.system}` : null, ...turns].filter(Boolean).join('\n\n');
}

/** Follows the execution events of one call and turns them into call-log rows. */
export function createAttemptRecorder(options: {
  source: CallSource;
  agent?: string;
  taskId?: string;
  conversationId?: string;
  plan: RoutePlan;
  call: ExecutionRequest;
  settings: SettingsService;
  now(): number;
  sink?: CallLogSink;
  secrets?: () => Promise<string[]>;
}) {
  const pending: CallLogEntry[] = [];
  let open: Open | null = null;
  const reasons = [
    ...options.plan.candidates.map((candidate, index) => `#${index + 1} ${candidate.connectionName} ${candidate.model}: ${candidate.reason}`),
    ...options.plan.skipped.map((skip) => `skipped ${skip.connectionName} ${skip.model}: ${skip.message}`),
  ];
  const prompt = promptText(options.call);

  const close = (outcome: AttemptOutcomeName, error?: AppError) => {
    if (!open) return;
    open.entry.outcome = outcome;
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
      switch (event.type) {
        case 'attempt-start': {
          close('error');
          const connection = options.settings.get().connections.find((item) => item.id === event.connectionId);
          open = {
            startedAt: options.now(),
            entry: {
              at: options.now(),
              source: options.source,
              agent: options.agent ?? null,
              conversationId: options.conversationId ?? null,
              taskId: options.taskId ?? null,
              connectionId: event.connectionId,
              connectionName: event.connectionName,
              providerKind: connection?.kind ?? 'unknown',
              requestedModel: event.model,
              reportedModel: null,
              attempt: event.attempt,
              fallbackPosition: event.candidateIndex,
              reasons: [...reasons],
              outcome: 'error',
              errorCode: null,
              errorMessage: null,
              latencyMs: 0,
              firstTokenMs: null,
              inputTokens: null,
              outputTokens: null,
              costUsd: null,
              prompt,
              response: '',
            },
          };
          return;
        }
        case 'response-metadata':
          if (open && event.modelVersion) open.entry.reportedModel = event.modelVersion;
          return;
        case 'text-delta':
          if (open) {
            if (open.entry.firstTokenMs === null) open.entry.firstTokenMs = options.now() - open.startedAt;
            open.entry.response += event.text;
          }
          return;
        case 'usage':
          if (open) {
            open.entry.inputTokens = event.inputTokens;
            open.entry.outputTokens = event.outputTokens;
            open.entry.costUsd = event.costUsd ?? null;
          }
          return;
        case 'attempt-error':
          if (!open) return;
          if (event.error.code === 'empty_answer' || event.error.code === 'schema_mismatch') close('escalated', event.error);
          else if (!event.willRetry && open.entry.response.length > 0) close('interrupted', event.error);
          else close('error', event.error);
          return;
        case 'fallback':
          reasons.push(`left ${event.from.connectionName}: ${event.reason}`);
          return;
        case 'finish':
          if (open && event.modelVersion) open.entry.reportedModel = event.modelVersion;
          close(event.finishReason === 'length' ? 'cut' : 'success');
          return;
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
