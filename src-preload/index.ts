// Runs sandboxed: only `electron`'s contextBridge and ipcRenderer are available here.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  eventChannels,
  invokeChannels,
  splitChannel,
  type EventChannel,
  type EventContract,
  type SwitchboardApi,
} from '../src-shared/contract/ipc-contract';

function buildApi(): SwitchboardApi {
  const api: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const channel of invokeChannels) {
    const [domain, action] = splitChannel(channel);
    api[domain] ??= {};
    // Exactly one argument crosses: the request payload, validated again in main.
    api[domain][action] = (request?: unknown) => ipcRenderer.invoke(channel, request);
  }
  const allowedEvents = new Set<string>(eventChannels);
  const on = <E extends EventChannel>(channel: E, listener: (payload: EventContract[E]) => void) => {
    if (!allowedEvents.has(channel)) throw new Error(`Unknown event channel: ${channel}`);
    const wrapped = (_event: IpcRendererEvent, payload: EventContract[E]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  };
  return Object.freeze({ ...api, on }) as unknown as SwitchboardApi;
}

contextBridge.exposeInMainWorld('api', buildApi());
