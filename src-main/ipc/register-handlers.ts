import { appError, fail, ok, toAppError, type Result } from '../../src-shared/errors/app-error';
import { invokeChannels, type InvokeChannel } from '../../src-shared/contract/ipc-contract';
import type { HandlerMap, SenderEvent } from './handler-types';

export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, ...args: unknown[]) => Promise<unknown>): void;
}

export interface RegisterOptions {
  isTrustedSender(event: SenderEvent): boolean;
  log?: (message: string) => void;
}

/** Runs one request of a channel: its arguments as the window sent them, the answer as a Result. */
export type Dispatch = (channel: string, args: readonly unknown[]) => Promise<Result<unknown>>;

/**
 * Every channel of the contract, ready to run: payload zod-parsed, result wrapped in Result<T> with a
 * serializable AppError. Nothing unvalidated reaches a handler. Runs wherever the services live (the
 * services thread in the app); the sender check stays with the window's IPC (registerDispatch).
 */
export function createDispatcher(handlers: HandlerMap, options: Pick<RegisterOptions, 'log'> = {}): Dispatch {
  // The types already insist on both; this catches a map built around them (a cast, a spread of any).
  const known = new Set<string>(invokeChannels);
  const stray = Object.keys(handlers).filter((channel) => !known.has(channel));
  if (stray.length > 0) throw new Error(`Handlers for channels the IPC contract does not have: ${stray.join(', ')}`);
  const missing = invokeChannels.filter((channel) => typeof handlers[channel]?.handle !== 'function');
  if (missing.length > 0) throw new Error(`No handler for ${missing.join(', ')}`);
  return async (channel, args) => {
    if (!known.has(channel)) return fail(appError('ipc_invalid_payload', `${channel} is not a Switchboard request.`));
    const handler = handlers[channel as InvokeChannel];
    if (args.length > 1) {
      return fail(appError('ipc_invalid_payload', `${channel} takes a single request object.`));
    }
    const parsed = handler.payload.safeParse(args[0]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      return fail(
        appError('ipc_invalid_payload', `Invalid request for ${channel}: ${field ? `${field}: ` : ''}${issue?.message ?? 'bad value'}`, {
          field: field || undefined,
        }),
      );
    }
    try {
      // The union of handlers cannot be narrowed per channel here; each one was typed at definition.
      const value = await (handler.handle as (request: unknown) => unknown)(parsed.data);
      return ok(value);
    } catch (error) {
      const appFailure = toAppError(error);
      if (appFailure.code === 'internal') options.log?.(`${channel} failed: ${appFailure.message}`);
      return fail(appFailure);
    }
  };
}

/** Registers every channel of the contract with the window's IPC: sender frame checked, then dispatched. */
export function registerDispatch(ipcMain: IpcMainLike, dispatch: Dispatch, options: RegisterOptions): void {
  for (const channel of invokeChannels) {
    ipcMain.handle(channel, async (event, ...args): Promise<Result<unknown>> => {
      if (!options.isTrustedSender(event)) {
        options.log?.(`Refused ${channel} from an untrusted frame (${event.senderFrame?.url ?? 'none'})`);
        return fail(appError('ipc_forbidden_sender', 'This request did not come from the Switchboard window.'));
      }
      return dispatch(channel, args);
    });
  }
}

/** Both in one thread: the handlers run where the IPC arrives (tests, and any composition without a services thread). */
export function registerHandlers(ipcMain: IpcMainLike, handlers: HandlerMap, options: RegisterOptions): void {
  registerDispatch(ipcMain, createDispatcher(handlers, options), options);
}
