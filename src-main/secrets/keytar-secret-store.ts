import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import { SECRET_SERVICE, type SecretStore } from './secret-store';

/** The part of keytar this store uses; injectable so a failing keychain can be tested. */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarSecretStoreOptions {
  /** Per-call limit; a locked keychain can otherwise wait forever for an unlock prompt. Default 5 s. */
  timeoutMs?: number;
  /** Loads keytar; defaults to a dynamic import so a missing native module is an error, not a crash. */
  loadKeytar?: () => Promise<KeytarApi>;
  platform?: NodeJS.Platform;
  service?: string;
}

const defaultTimeoutMs = 5_000;

async function importKeytar(): Promise<KeytarApi> {
  const module = (await import('keytar')) as unknown as { default?: KeytarApi } & Partial<KeytarApi>;
  const api = module.default ?? module;
  if (typeof api.getPassword !== 'function') throw new Error('keytar did not load');
  return api as KeytarApi;
}

/** What to install or unlock on each platform, in the user's words. */
export function keychainFixHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'Unlock your login keychain in Keychain Access, then try again.';
    case 'win32':
      return 'Make sure Windows Credential Manager is available for your user account, then try again.';
    default:
      return 'Install and unlock a Secret Service such as GNOME Keyring (libsecret), or KWallet with its Secret Service enabled, then try again.';
  }
}

/**
 * API keys in the OS keychain through keytar: macOS Keychain, Windows Credential Manager,
 * libsecret on Linux. Service "Switchboard", account = connection id. When the keychain cannot
 * be used the call fails with keychain_unavailable; the key is never kept anywhere else.
 */
export class KeytarSecretStore implements SecretStore {
  private readonly timeoutMs: number;
  private readonly platform: NodeJS.Platform;
  private readonly service: string;
  private readonly loadKeytar: () => Promise<KeytarApi>;
  private keytar: Promise<KeytarApi> | null = null;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.platform = options.platform ?? process.platform;
    this.service = options.service ?? SECRET_SERVICE;
    this.loadKeytar = options.loadKeytar ?? importKeytar;
  }

  private unavailable(action: string, cause: unknown, timedOut = false): AppErrorException {
    const why = timedOut ? 'did not answer in time' : 'could not be used';
    return new AppErrorException(
      appError('keychain_unavailable', `The system keychain ${why} while ${action} the API key. ${keychainFixHint(this.platform)}`),
      { cause },
    );
  }

  /** Runs one keychain call with a time limit, turning every failure into keychain_unavailable. */
  private async call<T>(action: string, operation: (keytar: KeytarApi) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(this.unavailable(action, undefined, true)), this.timeoutMs);
    });
    try {
      const work = (async () => {
        this.keytar ??= this.loadKeytar();
        let keytar: KeytarApi;
        try {
          keytar = await this.keytar;
        } catch (error) {
          // Try loading again next time (the user may install libsecret meanwhile).
          this.keytar = null;
          throw error;
        }
        return operation(keytar);
      })();
      work.catch(() => undefined);
      return await Promise.race([work, deadline]);
    } catch (error) {
      if (error instanceof AppErrorException) throw error;
      throw this.unavailable(action, error);
    } finally {
      clearTimeout(timer);
    }
  }

  get(account: string): Promise<string | null> {
    return this.call('reading', (keytar) => keytar.getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.call('saving', (keytar) => keytar.setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.call('deleting', (keytar) => keytar.deletePassword(this.service, account));
  }

  async has(account: string): Promise<boolean> {
    return (await this.call('checking', (keytar) => keytar.getPassword(this.service, account))) !== null;
  }
}
