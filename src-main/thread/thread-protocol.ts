// What the app's main thread and its services thread say to each other. Main keeps the window, the
// operating system's services (keychain, clipboard, links, notifications) and the settings file;
// the services thread keeps everything else (routing, health, budgets, the call log, chat, tasks and
// the gateway), so a busy gateway never delays the window. Every message is structured-cloneable.
import type { AppInfo, EventChannel } from '../../src-shared/contract/ipc-contract';
import type { AppError, Result } from '../../src-shared/errors/app-error';
import type { Settings, WindowState } from '../../src-shared/schemas/settings';

/** What main hands the services thread when it starts it (workerData). */
export interface ServicesThreadData {
  /** The app's data folder: settings.json, switchboard.db, prices.json, the config draft. */
  dataDirectory: string;
  /** The storage worker's address (href), which the services thread starts itself. */
  storageWorkerUrl: string;
  info: AppInfo;
  /** Whether the machine is online as main last saw it; changes follow as `online` messages. */
  online: boolean;
  /** The local Ollama server's address for "Detect". */
  ollamaUrl: string;
  /** Overrides the idle health-probe interval (tests). */
  idleProbeMs?: number;
}

/** Work only main can do, asked by the services thread; each is answered with a `host-reply`. */
export type HostRequest =
  | { call: 'secrets.get'; account: string }
  | { call: 'secrets.set'; account: string; secret: string }
  | { call: 'secrets.delete'; account: string }
  | { call: 'secrets.has'; account: string }
  | { call: 'openExternal'; url: string }
  | { call: 'writeClipboard'; text: string };

export type HostReply = { kind: 'host-reply'; id: number } & ({ ok: true; value: unknown } | { ok: false; error: AppError });

/** Main to the services thread. */
export type ToServices =
  /** A request from the window, already checked to come from it; answered with `invoked`. */
  | { kind: 'invoke'; id: number; channel: string; args: unknown[] }
  | HostReply
  | { kind: 'online'; online: boolean }
  /** The window moved or resized: kept in settings so it opens there next time. */
  | { kind: 'window-state'; window: WindowState }
  /** Stop every service and close the database; answered with `stopped`. */
  | { kind: 'stop' };

/** The services thread to main. */
export type FromServices =
  /** Settings as they are now: sent once loaded, then after every change, for main to write to disk. */
  | { kind: 'settings'; settings: Settings }
  | { kind: 'invoked'; id: number; result: Result<unknown> }
  /** An event for the window. */
  | { kind: 'event'; channel: EventChannel; payload: unknown }
  | { kind: 'host'; id: number; request: HostRequest }
  /** Whether the user is on the Tasks page (a finished task is then not announced by the OS). */
  | { kind: 'tasks-page'; open: boolean }
  | { kind: 'stopped' }
  /** The services could not start; the app cannot work without them. */
  | { kind: 'failed'; message: string };
