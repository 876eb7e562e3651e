/* eslint-disable no-var -- global declarations must use var */
// The pure engine is typechecked without Node or DOM types. Cancellation is its one
// web-standard dependency (no I/O), so only these shapes are declared for it here.
// Under tsconfig.node.json the real declarations from @types/node apply instead.

interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

interface AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}

declare var AbortController: {
  prototype: AbortController;
  new (): AbortController;
};

declare var AbortSignal: {
  prototype: AbortSignal;
  any(signals: AbortSignal[]): AbortSignal;
};
