import { appError, AppErrorException, toAppError } from '../../src-shared/errors/app-error';
import type { SecretStore } from '../secrets/secret-store';

/** `SWITCHBOARD_KEY_<CONNECTION_ID>`: the id upper-cased, anything not a letter or digit as `_`. */
export function keyVariableName(connectionId: string): string {
  return `SWITCHBOARD_KEY_${connectionId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface HeadlessSecretsOptions {
  environment: Readonly<Record<string, string | undefined>>;
  /** The OS keychain, consulted when no variable is set; null to use variables only. */
  keychain: SecretStore | null;
  /** Told once when the keychain fails, after which only variables are used. */
  onKeychainUnavailable?: (message: string) => void;
}

/**
 * Keys for the headless gateway: an environment variable wins, else the keychain the app saves
 * keys in. Keychain answers are kept for the life of the process: the call runner asks for every
 * connection's key on every call, and a keychain round trip each time would dominate the
 * gateway's latency. Restart the gateway to pick up a changed key. It never stores a key.
 */
export function createHeadlessSecretStore(options: HeadlessSecretsOptions): SecretStore {
  let keychain = options.keychain;
  const remembered = new Map<string, Promise<string | null>>();

  const fromKeychain = (account: string): Promise<string | null> => {
    if (!keychain) return Promise.resolve(null);
    const store = keychain;
    const lookup = store.get(account).catch((error: unknown) => {
      remembered.delete(account);
      if (toAppError(error).code !== 'keychain_unavailable') throw error;
      // A machine without a keychain (CI, a server) works from variables alone; say so once.
      if (keychain === store) {
        keychain = null;
        options.onKeychainUnavailable?.(toAppError(error).message);
      }
      return null;
    });
    remembered.set(account, lookup);
    return lookup;
  };

  const readOnly = (account: string) =>
    new AppErrorException(
      appError(
        'validation_failed',
        `The headless gateway does not save keys. Set ${keyVariableName(account)}, or save the key in the Switchboard app.`,
      ),
    );

  return {
    get(account) {
      const variable = options.environment[keyVariableName(account)]?.trim();
      if (variable) return Promise.resolve(variable);
      return remembered.get(account) ?? fromKeychain(account);
    },
    async has(account) {
      return (await this.get(account)) !== null;
    },
    set(account) {
      return Promise.reject(readOnly(account));
    },
    delete(account) {
      return Promise.reject(readOnly(account));
    },
  };
}
