// The renderer's only door to main. Store actions call it; components never do.
import type { AppError, Result } from '../../../src-shared/errors/app-error';
import type { SwitchboardApi } from '../../../src-shared/contract/ipc-contract';

function bridge(): SwitchboardApi {
  if (!('api' in window)) throw new Error('Switchboard must run inside its desktop window (window.api is missing).');
  return window.api;
}

/** `api.<domain>.<action>(request)` for every channel of the contract, plus `api.on(event, listener)`. */
export const api: SwitchboardApi = new Proxy({} as SwitchboardApi, {
  get: (_target, key) => bridge()[key as keyof SwitchboardApi],
});

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
