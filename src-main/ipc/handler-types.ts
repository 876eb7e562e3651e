import type { z } from 'zod';
import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../src-shared/contract/ipc-contract';

/** One channel's handler: the zod schema its payload must satisfy, and the work. */
export interface ChannelHandler<C extends InvokeChannel> {
  payload: z.ZodType<InvokeRequest<C>>;
  handle(request: InvokeRequest<C>): Promise<InvokeResponse<C>> | InvokeResponse<C>;
}

export type HandlerMap<C extends InvokeChannel = InvokeChannel> = { [K in C]: ChannelHandler<K> };

/** The parts of Electron's IPC event that the sender check reads. */
export interface SenderEvent {
  senderFrame: { url: string; parent: unknown } | null;
}
