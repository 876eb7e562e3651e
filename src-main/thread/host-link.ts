// The services thread's side of the link to main: asks main for what only it can do (the keychain,
// the clipboard, links) and hands main the settings to write, each through one message.
import { AppErrorException, appError } from '../../src-shared/errors/app-error';
import type { Settings } from '../../src-shared/schemas/settings';
import type { SecretStore } from '../secrets/secret-store';
import type { CreateStore, PersistentStore } from '../settings/settings-service';
import type { FromServices, HostReply, HostRequest } from './thread-protocol';

export interface HostLink {
  /** Asks main; resolves with its answer, or rejects with the AppErrorException main's work failed with. */
  call(request: HostRequest): Promise<unknown>;
  /** Settles the request a `host-reply` answers. */
  settle(reply: HostReply): void;
  /** Fails every request still waiting (main is stopping this thread). */
  failPending(message: string): void;
}

export function createHostLink(post: (message: FromServices) => void): HostLink {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let nextId = 1;
  return {
    call(request) {
      const id = nextId;
      nextId += 1;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        post({ kind: 'host', id, request });
      });
    },
    settle(reply) {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new AppErrorException(reply.error));
    },
    failPending(message) {
      for (const waiting of pending.values()) waiting.reject(new AppErrorException(appError('internal', message)));
      pending.clear();
    },
  };
}

/** The keychain, reached through main: the keychain module and its native code stay there. */
export function hostSecretStore(host: Pick<HostLink, 'call'>): SecretStore {
  return {
    get: (account) => host.call({ call: 'secrets.get', account }) as Promise<string | null>,
    set: async (account, secret) => {
      await host.call({ call: 'secrets.set', account, secret });
    },
    delete: (account) => host.call({ call: 'secrets.delete', account }) as Promise<boolean>,
    has: (account) => host.call({ call: 'secrets.has', account }) as Promise<boolean>,
  };
}

/**
 * Settings as the settings service keeps them, written to disk by main (electron-store). The service
 * validates every change first and this thread is the only one that changes them, so main only writes.
 */
export function hostSettingsStore(post: (message: FromServices) => void): CreateStore {
  return () => {
    let held: Settings | undefined;
    const store: PersistentStore = {
      get store(): Settings {
        if (!held) throw new Error('Settings are read from the settings service, not from its store.');
        return held;
      },
      set store(settings: Settings) {
        held = settings;
        post({ kind: 'settings', settings });
      },
    };
    return store;
  };
}
