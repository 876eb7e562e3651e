// The services thread: everything of the app except the window and the operating system's services
// runs here (composeAppServices), so that routing, the call log and a busy gateway never hold up the
// window's main thread. Main starts it (thread/services-thread.ts) and talks to it in messages
// (thread/thread-protocol.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { AppServices } from './app-services';
import { createNoticeCenter } from './notices/notice-center';
import { createSettingsService } from './settings/settings-service';
import { createHostLink, hostSecretStore, hostSettingsStore } from './thread/host-link';
import type { FromServices, ServicesThreadData, ToServices } from './thread/thread-protocol';

const port = parentPort;
if (!port) throw new Error('services-worker runs as a worker thread started by the app.');
const data = workerData as ServicesThreadData;
const post = (message: FromServices) => port.postMessage(message);
const host = createHostLink(post);
let online = data.online;

// Settings first, and only then the rest of the services' code: main opens the window where the
// settings say as soon as they arrive, while everything else loads.
const notices = createNoticeCenter();
const settings = createSettingsService({ directory: data.dataDirectory, createStore: hostSettingsStore(post), onNotice: notices.add });
const composing: Promise<AppServices> = import('./app-services').then(({ composeAppServices }) =>
  composeAppServices({
    dataDirectory: data.dataDirectory,
    settings,
    notices,
    storageWorkerUrl: new URL(data.storageWorkerUrl),
    info: data.info,
    secrets: hostSecretStore(host),
    isOnline: () => online,
    ollamaUrl: data.ollamaUrl,
    ...(data.idleProbeMs ? { idleProbeMs: data.idleProbeMs } : {}),
    sendEvent: (channel, payload) => post({ kind: 'event', channel, payload }),
    openExternal: async (url) => {
      await host.call({ call: 'openExternal', url });
    },
    writeClipboard: async (text) => {
      await host.call({ call: 'writeClipboard', text });
    },
    onTasksPage: (open) => post({ kind: 'tasks-page', open }),
  }),
);

const failed = (error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
// Started once composed; stopping waits for start-up, so nothing is left half started.
const starting = composing.then(
  (services) => services.start().catch((error: unknown) => console.error(`[services] start-up did not finish: ${String(error)}`)),
  failed,
);

port.on('message', (message: ToServices) => {
  switch (message.kind) {
    case 'invoke':
      void composing
        .then((services) => services.dispatch(message.channel, message.args))
        .then((result) => post({ kind: 'invoked', id: message.id, result }), failed);
      return;
    case 'host-reply':
      host.settle(message);
      return;
    case 'online':
      online = message.online;
      return;
    case 'window-state':
      void composing
        .then(() => settings.update((current) => ({ ...current, window: message.window })))
        .catch((error: unknown) => console.warn(`[services] the window's place was not saved: ${String(error)}`));
      return;
    case 'stop':
      void starting
        .then(() => composing)
        .then((services) => services.stop())
        .catch(() => undefined)
        .finally(() => {
          host.failPending('Switchboard is closing.');
          post({ kind: 'stopped' });
        });
      return;
  }
});
