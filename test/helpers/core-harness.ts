// The app's real services (settings file, keychain interface, SQLite, health, routing, tasks)
// composed in-process for integration tests, exactly as src-main/app-services.ts composes them (the app runs that in its services thread).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewConnectionInput } from '../../src-shared/schemas/connection-input';
import type { Settings } from '../../src-shared/schemas/settings';
import type { StoredTask } from '../../src-shared/schemas/stored-task';
import { MemorySecretStore } from '../../src-main/secrets/memory-secret-store';
import { createCoreServices, type CoreServices, type ServiceEvents } from '../../src-main/services';
import { createConfSettingsStore } from '../../src-main/settings/conf-settings-store';
import { createSettingsService } from '../../src-main/settings/settings-service';
import { openDatabase } from '../../src-main/storage/database';

export const storageWorkerUrl = new URL('../../src-main/storage/storage-worker.ts', import.meta.url);

export interface CoreHarness {
  services: CoreServices;
  directory: string;
  add(input: NewConnectionInput): Promise<string>;
  configure(change: (settings: Settings) => Settings): void;
  /** Resolves when the task reaches one of the statuses. */
  waitForTask(id: string, statuses: StoredTask['status'][], timeoutMs?: number): Promise<StoredTask>;
  stop(): Promise<void>;
}

export async function startCore(
  options: { idleProbeMs?: number; fetch?: typeof fetch; events?: ServiceEvents } = {},
): Promise<CoreHarness> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-core-'));
  const settings = createSettingsService({ directory, createStore: createConfSettingsStore });
  const database = await openDatabase({ filePath: join(directory, 'switchboard.db'), workerUrl: storageWorkerUrl });
  const services = createCoreServices({
    settings,
    secrets: new MemorySecretStore(),
    database,
    ...(options.idleProbeMs ? { idleProbeMs: options.idleProbeMs } : {}),
    ...(options.fetch ? { adapterOptions: { fetch: options.fetch } } : {}),
    ...(options.events ? { events: options.events } : {}),
  });
  await services.start();
  return {
    services,
    directory,
    async add(input) {
      return (await services.connections.add(input)).connection.id;
    },
    configure(change) {
      settings.update(change);
    },
    async waitForTask(id, statuses, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const task = await services.tasks.get(id);
        if (statuses.includes(task.status)) return task;
        if (Date.now() > deadline)
          throw new Error(
            `Task stayed ${task.status} (${task.pausedReason ?? task.error?.message ?? ''}); wanted ${statuses.join(' or ')}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    stop: () => services.stop(),
  };
}

/**
 * A fetch that sends requests for made-up public hosts (https://api.deepseek.example) to local fake
 * servers, so connections look like cloud ones to routing (local-only checks) yet stay on this machine.
 */
export function routeHostsTo(map: Record<string, string>): typeof fetch {
  return (input, init) => {
    const original = new URL(input instanceof Request ? input.url : String(input));
    const target = map[original.host];
    if (!target) return fetch(input, init);
    const rewritten = new URL(original.pathname + original.search, target);
    return input instanceof Request ? fetch(new Request(rewritten, input), init) : fetch(rewritten, init);
  };
}
