import type { BrowserWindow } from 'electron';
import type { EventChannel, EventContract } from '../../src-shared/contract/ipc-contract';

export type EventSender = <E extends EventChannel>(channel: E, payload: EventContract[E]) => void;

/** Typed main -> renderer events; dropped quietly while no window is open. */
export function createEventSender(getWindow: () => BrowserWindow | null): EventSender {
  return (channel, payload) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  };
}
