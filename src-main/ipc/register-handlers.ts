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

/**
 * Registers every channel of the contract. Each call: sender frame checked, payload zod-parsed,
 * result wrapped in Result<T> with a serializable AppError. Nothing unvalidated reaches a handler.
 */
export function registerHandlers(ipcMain: IpcMainLike, handlers: HandlerMap, options: RegisterOptions): void {
  // The types already insist on both; this catches a map built around them (a cast, a spread of any).
  const known = new Set<string>(invokeChannels);
  const stray = Object.keys(handlers).filter((channel) => !known.has(channel));
  if (stray.length > 0) throw new Error(`Handlers for channels the IPC contract does not have: ${stray.join(', ')}`);
  const missing = invokeChannels.filter((channel) => typeof handlers[channel]?.handle !== 'function');
  if (missing.length > 0) throw new Error(`No handler for ${missing.join(', ')}`);
  for (const channel of invokeChannels) {
    const handler = handlers[channel as InvokeChannel];
    ipcMain.handle(channel, async (event, ...args): Promise<Result<unknown>> => {
      if (!options.isTrustedSender(event)) {
        options.log?.(`Refused ${channel} from an untrusted frame (${event.senderFrame?.url ?? 'none'})`);
        return fail(appError('ipc_forbidden_sender', 'This request did not come from the Switchboard window.'));
      }
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
    });
  }
}
