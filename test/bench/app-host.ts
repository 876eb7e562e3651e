// The app's main thread without Electron, for the gateway benchmark: starts the services thread of a
// checkout exactly as src-main/index.ts does (startServicesThread with services-worker.ts), adds a
// connection and turns the local gateway on through the same requests the window sends, and then
// measures its own event loop: the thread that is Electron's main in the app, while the gateway
// serves from the services thread. Events for the window are cloned as Electron's IPC would and
// dropped. It answers the commands of host-commands.ts.
// `node --expose-gc --import tsx app-host.ts <checkout> --provider <url> --key <key> --port <port> --data-dir <dir>`
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { answerHostCommands } from './host-commands.ts';

const [checkout, ...rest] = process.argv.slice(2);
if (!checkout) throw new Error('usage: app-host.ts <checkout> --provider <url> --key <key> --port <port> --data-dir <dir>');
const { values } = parseArgs({
  args: rest,
  options: { provider: { type: 'string' }, key: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' } },
  strict: true,
});
const source = (path: string) => pathToFileURL(join(resolve(checkout), path));

type Result = { ok: true; value: unknown } | { ok: false; error: { message: string } };
interface ServicesThread {
  loaded: Promise<unknown>;
  dispatch(channel: string, args: unknown[]): Promise<Result>;
  stop(): Promise<void>;
}
const { startServicesThread } = (await import(source('src-main/thread/services-thread.ts').href)) as {
  startServicesThread(options: Record<string, unknown>): ServicesThread;
};
const { MemorySecretStore } = (await import(source('src-main/secrets/memory-secret-store.ts').href)) as {
  MemorySecretStore: new () => unknown;
};
const { createConfSettingsStore } = (await import(source('src-main/settings/conf-settings-store.ts').href)) as {
  createConfSettingsStore(options: { cwd: string; name: string }): { store: unknown };
};

const dataDirectory = values['data-dir']!;
let settingsFile: { store: unknown } | null = null;
const services = startServicesThread({
  workerUrl: source('src-main/services-worker.ts'),
  // The thread runs the checkout's TypeScript, as this host does.
  execArgv: ['--import', 'tsx'],
  data: {
    dataDirectory,
    storageWorkerUrl: source('src-main/storage/storage-worker.ts').href,
    info: { name: 'Switchboard', version: '0.0.0-bench', platform: process.platform, dataDirectory },
    online: true,
    ollamaUrl: 'http://127.0.0.1:9',
  },
  host: {
    secrets: new MemorySecretStore(),
    saveSettings: (settings: unknown) => {
      settingsFile ??= createConfSettingsStore({ cwd: dataDirectory, name: 'settings' });
      settingsFile.store = settings;
    },
    // Electron clones each event into the window's process; cloning here costs main the same.
    sendEvent: (_channel: string, payload: unknown) => {
      structuredClone(payload);
    },
    openExternal: async () => undefined,
    writeClipboard: () => undefined,
    onTasksPage: () => undefined,
    log: (message: string) => process.stderr.write(`${message}\n`),
  },
});

async function ask(channel: string, request?: unknown): Promise<unknown> {
  const result = await services.dispatch(channel, request === undefined ? [] : [request]);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value;
}

await services.loaded;
await ask('app:connections.add', {
  kind: 'openai',
  name: 'Bench provider',
  baseUrl: `${values.provider}/v1`,
  apiKey: values.key,
  defaultModel: 'gpt-4o',
});
const port = Number(values.port);
const status = (await ask('app:gateway.configure', { enabled: true, port })) as { running: boolean; error: string | null };
if (!status.running) throw new Error(`The gateway did not start: ${status.error}`);
const client = (await ask('app:gateway.createClient', { name: 'bench' })) as { token: string };

const stopMeasuring = answerHostCommands();
// The client's token goes to the benchmark in a file only this user can read, as the app shows it once.
writeFileSync(join(dataDirectory, 'bench-token'), client.token, { mode: 0o600 });
process.stdout.write(`Switchboard app gateway listening on http://127.0.0.1:${port}\n`);
process.on('SIGTERM', () => {
  stopMeasuring();
  void services.stop().then(() => process.exit(0));
});
