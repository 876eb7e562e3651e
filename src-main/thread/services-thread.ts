// Main's side of the services thread: starts it, forwards the window's requests to it and its events
// to the window, and does for it what only main can (the keychain, the clipboard, links, writing
// settings). If the thread dies, requests fail with words the user can act on instead of hanging.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { EventChannel } from '../../src-shared/contract/ipc-contract';
import { appError, fail, toAppError, type Result } from '../../src-shared/errors/app-error';
import type { Settings, WindowState } from '../../src-shared/schemas/settings';
import type { Dispatch } from '../ipc/register-handlers';
import type { SecretStore } from '../secrets/secret-store';
import type { FromServices, HostRequest, ServicesThreadData, ToServices } from './thread-protocol';

/** What main does for the services thread. */
export interface ServicesThreadHost {
  secrets: SecretStore;
  /** Writes settings to disk (electron-store in the app). */
  saveSettings(settings: Settings): void;
  sendEvent(channel: EventChannel, payload: unknown): void;
  openExternal(url: string): Promise<void>;
  writeClipboard(text: string): void;
  onTasksPage(open: boolean): void;
  log(message: string): void;
}

export interface ServicesThreadOptions {
  /** The thread's entry: services-worker.js in the built app, services-worker.ts under tsx. */
  workerUrl: URL;
  data: ServicesThreadData;
  host: ServicesThreadHost;
  /** Node flags for the thread; none by default (a test runner's or inspector's flags are not its business). */
  execArgv?: string[];
  /** Builds the thread; tests hold it to end it like a crash. */
  createWorker?: (url: URL, options: WorkerOptions) => Worker;
}

export interface ServicesThread {
  /** Settings as the thread loaded them (the window's saved place is in them). */
  readonly loaded: Promise<Settings>;
  /** Runs a window request in the thread. */
  dispatch: Dispatch;
  setOnline(online: boolean): void;
  saveWindowState(window: WindowState): void;
  /** Stops the services (database closed) and then the thread. */
  stop(): Promise<void>;
}

const STOPPED = 'Switchboard’s background services stopped, so this could not be done. Restart Switchboard; what you saved is kept.';
const RESTARTED = 'Switchboard’s background services stopped unexpectedly and were restarted; what you saved is kept. Try again.';

async function runHostRequest(host: ServicesThreadHost, request: HostRequest): Promise<unknown> {
  switch (request.call) {
    case 'secrets.get':
      return host.secrets.get(request.account);
    case 'secrets.set':
      return host.secrets.set(request.account, request.secret);
    case 'secrets.delete':
      return host.secrets.delete(request.account);
    case 'secrets.has':
      return host.secrets.has(request.account);
    case 'openExternal':
      return host.openExternal(request.url);
    case 'writeClipboard':
      return host.writeClipboard(request.text);
  }
}

/** A thread that fails this many times within RESTART_WINDOW_MS is left down: something is wrong beyond one bad moment. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

export function startServicesThread(options: ServicesThreadOptions): ServicesThread {
  const { host } = options;
  const createWorker = options.createWorker ?? ((url: URL, workerOptions: WorkerOptions) => new Worker(url, workerOptions));
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const restarts: number[] = [];
  let nextId = 1;
  let alive = true;
  let stopping = false;
  let online = options.data.online;
  let stopped: (() => void) | null = null;
  let settleLoaded: { resolve(settings: Settings): void; reject(error: Error): void } | null = null;
  const loaded = new Promise<Settings>((resolve, reject) => {
    settleLoaded = { resolve, reject };
  });
  let worker: Worker;

  const answerAll = (message: string) => {
    for (const answer of pending.values()) answer(fail(appError('internal', message)));
    pending.clear();
  };
  const failAll = (message: string) => {
    alive = false;
    settleLoaded?.reject(new Error(message));
    settleLoaded = null;
    answerAll(message);
  };

  const start = () => {
    const started = createWorker(options.workerUrl, { workerData: { ...options.data, online }, execArgv: options.execArgv ?? [] });
    worker = started;
    const post = (message: ToServices) => started.postMessage(message);
    started.on('message', (message: FromServices) => {
      switch (message.kind) {
        case 'settings':
          host.saveSettings(message.settings);
          settleLoaded?.resolve(message.settings);
          settleLoaded = null;
          return;
        case 'invoked': {
          const answer = pending.get(message.id);
          pending.delete(message.id);
          answer?.(message.result);
          return;
        }
        case 'event':
          host.sendEvent(message.channel, message.payload);
          return;
        case 'host':
          void runHostRequest(host, message.request).then(
            (value) => post({ kind: 'host-reply', id: message.id, ok: true, value }),
            (error: unknown) => post({ kind: 'host-reply', id: message.id, ok: false, error: toAppError(error) }),
          );
          return;
        case 'tasks-page':
          host.onTasksPage(message.open);
          return;
        case 'stopped':
          stopped?.();
          return;
        case 'failed':
          host.log(`The services could not start: ${message.message}`);
          failAll(`${STOPPED} (${message.message})`);
          return;
      }
    });
    started.on('error', (error) => host.log(`The services thread failed: ${error.stack ?? error.message}`));
    started.on('exit', (code) => {
      if (started !== worker) return;
      if (stopping || !alive) {
        failAll(STOPPED);
        stopped?.();
        return;
      }
      // An unexpected end: what was asked of it is answered, and a new thread takes over. It recovers
      // as after a crash of the app (interrupted answers kept as such, queued tasks resumed).
      host.log(`The services thread stopped (exit code ${code}).`);
      const now = Date.now();
      while (restarts.length > 0 && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        failAll(STOPPED);
        return;
      }
      restarts.push(now);
      answerAll(RESTARTED);
      start();
    });
  };
  start();

  return {
    loaded,
    dispatch(channel, args) {
      if (!alive) return Promise.resolve(fail(appError('internal', STOPPED)));
      const id = nextId;
      nextId += 1;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ kind: 'invoke', id, channel, args: [...args] } satisfies ToServices);
      });
    },
    setOnline(value) {
      online = value;
      if (alive) worker.postMessage({ kind: 'online', online: value } satisfies ToServices);
    },
    saveWindowState(window) {
      if (alive) worker.postMessage({ kind: 'window-state', window } satisfies ToServices);
    },
    async stop() {
      if (!alive) return;
      stopping = true;
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.postMessage({ kind: 'stop' } satisfies ToServices);
      });
      alive = false;
      await worker.terminate();
    },
  };
}
