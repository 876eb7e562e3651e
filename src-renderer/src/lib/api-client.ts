// The renderer's only door to main. Store actions call it; components never do.
import type { AppError, Result } from '../../../src-shared/errors/app-error';
import type { EventChannel, EventContract, SwitchboardApi } from '../../../src-shared/contract/ipc-contract';

function bridge(): SwitchboardApi {
  if (!('api' in window)) throw new Error('Switchboard must run inside its desktop window (window.api is missing).');
  return window.api;
}

export const api = {
  get app() {
    return bridge().app;
  },
  get notices() {
    return bridge().notices;
  },
  get settings() {
    return bridge().settings;
  },
  get connections() {
    return bridge().connections;
  },
  get routing() {
    return bridge().routing;
  },
  get agents() {
    return bridge().agents;
  },
  on<E extends EventChannel>(channel: E, listener: (payload: EventContract[E]) => void): () => void {
    return bridge().on(channel, listener);
  },
};

/** Thrown by unwrap() so a store can catch one error type and show its words. */
export class ApiError extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.message);
    this.error = error;
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}
