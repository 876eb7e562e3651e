import { appError, AppErrorException, type ErrorCode } from '../../../../src-shared/errors/app-error';
import type { ProviderKind } from '../../../../src-shared/schemas/connection';
import type {
  CallOptions,
  Clock,
  DiscoveredModel,
  FinishReason,
  ModelRequest,
  ProviderAdapter,
  ProviderStreamPart,
} from '../../../../src-main/engine/ports';

/** One step of a scripted provider stream. */
export type ScriptStep =
  | { text: string }
  | { wait: number }
  | { fail: ErrorCode; retryAfterMs?: number; message?: string }
  | { modelVersion: string }
  | { usage: { inputTokens: number; outputTokens: number } }
  | { finish: FinishReason }
  /** A local server starts loading the model / has loaded it after loadMs. */
  | { loading: true }
  | { loaded: number };

/** What one call to stream() does, step by step. */
export type Script = ScriptStep[];

/** A clean answer: metadata, the text in two chunks, usage, finish. */
export function answer(text: string, modelVersion = 'v1'): Script {
  const middle = Math.ceil(text.length / 2);
  const chunks = text.length > 1 ? [text.slice(0, middle), text.slice(middle)] : [text];
  return [
    { modelVersion },
    ...chunks.map((chunk) => ({ text: chunk })),
    { usage: { inputTokens: 100, outputTokens: 20 } },
    { finish: 'stop' as const },
  ];
}

/** Fails at once with the given code. */
export function failWith(code: ErrorCode, retryAfterMs?: number): Script {
  return [retryAfterMs === undefined ? { fail: code } : { fail: code, retryAfterMs }];
}

/**
 * A provider whose stream follows a script per call (the last script repeats), honouring its
 * abort signal the way real adapters must.
 */
export class ScriptedAdapter implements ProviderAdapter {
  readonly requests: ModelRequest[] = [];
  /** The signal of each call, to check the engine aborted what it abandoned. */
  readonly signals: AbortSignal[] = [];
  /** Calls whose signal was aborted while they ran. */
  aborted = 0;

  constructor(
    readonly connectionId: string,
    private readonly scripts: Script[],
    private readonly clock: Clock,
    readonly kind: ProviderKind = 'openai',
  ) {}

  async listModels(): Promise<DiscoveredModel[]> {
    return [];
  }

  async probe(): Promise<void> {}

  async *stream(request: ModelRequest, options: CallOptions): AsyncIterable<ProviderStreamPart> {
    const script = this.scripts[Math.min(this.requests.length, this.scripts.length - 1)] ?? [];
    this.requests.push(request);
    this.signals.push(options.signal);
    const abortedError = (): AppErrorException => {
      this.aborted += 1;
      return new AppErrorException(appError('aborted', 'Aborted', { provider: this.connectionId }));
    };
    for (const step of script) {
      if (options.signal.aborted) throw abortedError();
      if ('text' in step) yield { type: 'text-delta', text: step.text };
      else if ('modelVersion' in step) yield { type: 'response-metadata', modelVersion: step.modelVersion };
      else if ('usage' in step) yield { type: 'usage', ...step.usage };
      else if ('finish' in step) yield { type: 'finish', reason: step.finish };
      else if ('loading' in step) yield { type: 'model-loading' };
      else if ('loaded' in step) yield { type: 'model-loaded', loadMs: step.loaded };
      else if ('wait' in step) {
        try {
          await this.clock.sleep(step.wait, options.signal);
        } catch {
          throw abortedError();
        }
      } else {
        const extra = step.retryAfterMs === undefined ? {} : { retryAfterMs: step.retryAfterMs };
        throw new AppErrorException(
          appError(step.fail, step.message ?? `scripted ${step.fail}`, { provider: this.connectionId, ...extra }),
        );
      }
    }
  }
}
