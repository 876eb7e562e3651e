/** How long a provider may keep us waiting. */
export interface Timeouts {
  /** Longest wait for the first byte and between two stream chunks. */
  streamIdleMs: number;
  /** Whole-request limit for token-free calls (list models, probe). */
  requestMs: number;
}

const defaultTimeoutMs = 60_000;
const probeTimeoutCapMs = 15_000;

/** The answer timeout a connection is given (default 60 s), and the shorter one for token-free calls. */
export function timeoutsFor(options: { timeoutMs?: number }): Timeouts {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return { streamIdleMs: timeoutMs, requestMs: Math.min(timeoutMs, probeTimeoutCapMs) };
}

/** Spare time given to the SDKs' own timeouts, so our deadline (with clearer words) normally fires first. */
export const sdkTimeoutMarginMs = 1_000;

/** Why a call's own signal fired: the caller gave up, or our deadline passed. */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${Math.round(timeoutMs / 1000)} s.`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * One provider call's cancellation: the caller's signal plus an idle deadline that restarts on
 * every chunk. The SDKs' own timeouts stop counting once headers arrive, so a server that stalls
 * mid-stream would otherwise hang until the caller gives up.
 */
export interface CallScope {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** Restarts the idle deadline; call it whenever data arrives. */
  touch(): void;
  timedOut(): boolean;
  callerAborted(): boolean;
  /** Ends the request now: its consumer stopped reading before the end. */
  abandon(): void;
  dispose(): void;
}

export function openCallScope(callerSignal: AbortSignal, timeoutMs: number): CallScope {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // touch() only notes the time: one timer per call, moved on when it fires early, instead of a
  // new timer for every chunk of a stream.
  let lastActivity = Date.now();

  const onCallerAbort = () => controller.abort(callerSignal.reason);
  const expire = () => {
    timer = undefined;
    if (controller.signal.aborted) return;
    const idle = Date.now() - lastActivity;
    if (idle < timeoutMs) {
      timer = setTimeout(expire, timeoutMs - idle);
      return;
    }
    timedOut = true;
    controller.abort(new DeadlineExceeded(timeoutMs));
  };

  if (callerSignal.aborted) controller.abort(callerSignal.reason);
  else {
    callerSignal.addEventListener('abort', onCallerAbort, { once: true });
    timer = setTimeout(expire, timeoutMs);
  }

  return {
    signal: controller.signal,
    timeoutMs,
    touch: () => {
      lastActivity = Date.now();
    },
    timedOut: () => timedOut,
    callerAborted: () => callerSignal.aborted && !timedOut,
    abandon: () => {
      if (!controller.signal.aborted) controller.abort();
    },
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      callerSignal.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** Settles with the promise, or rejects as soon as the signal fires (even if the promise never settles). */
export function raceAbort<T>(promise: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    Promise.resolve(promise).catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Iterates an SDK stream so that abort and deadline win promptly, and reports it when the stream
 * stopped because of them: both SDKs end a stream silently when their request is aborted.
 */
export async function* iterateWithin<T>(iterable: AsyncIterable<T>, scope: CallScope): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      const result = await raceAbort(iterator.next(), scope.signal);
      if (result.done) {
        finished = true;
        break;
      }
      scope.touch();
      yield result.value;
    }
  } finally {
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
  if (scope.signal.aborted) throw scope.signal.reason;
}
