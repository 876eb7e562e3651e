import { appError, AppErrorException, toAppError } from '../../src-shared/errors/app-error';
import { readBoundKey, type KeyLookup, type KeyOwner, type ProviderKeyStore } from '../secrets/provider-keys';
import { keyVariableName } from '../secrets/key-variable';
import type { SecretStore } from '../secrets/secret-store';

// The variable's name is shared with the LiteLLM export, which writes it as os.environ/<name>.
export { keyVariableName };

export interface HeadlessKeysOptions {
  environment: Readonly<Record<string, string | undefined>>;
  /** The OS keychain, consulted when no variable is set; null to use variables only. */
  keychain: SecretStore | null;
  /** Told once when the keychain fails, after which only variables are used. */
  onKeychainUnavailable?: (message: string) => void;
}

/**
 * Keys for the headless gateway: an environment variable wins (the operator gave it for this
 * config), else a key the app saved in the keychain, and only when it was saved for the same
 * origin and kind as the config's connection: a config file cannot send an app key elsewhere.
 * Keychain answers are kept for the life of the process: the call runner asks on every call.
 * Restart the gateway to pick up a changed key. It never stores a key.
 */
export function createHeadlessProviderKeys(options: HeadlessKeysOptions): ProviderKeyStore {
  let keychain = options.keychain;
  const remembered = new Map<string, Promise<KeyLookup>>();

  const fromKeychain = (owner: KeyOwner, cacheKey: string): Promise<KeyLookup> => {
    if (!keychain) return Promise.resolve({ status: 'none' });
    const store = keychain;
    const lookup = readBoundKey(store, owner).catch((error: unknown): KeyLookup => {
      remembered.delete(cacheKey);
      if (toAppError(error).code !== 'keychain_unavailable') throw error;
      // A machine without a keychain (CI, a server) works from variables alone; say so once.
      if (keychain === store) {
        keychain = null;
        options.onKeychainUnavailable?.(toAppError(error).message);
      }
      return { status: 'none' };
    });
    remembered.set(cacheKey, lookup);
    return lookup;
  };

  const readOnly = (connectionId: string) =>
    new AppErrorException(
      appError(
        'validation_failed',
        `The headless gateway does not save keys. Set ${keyVariableName(connectionId)}, or save the key in the Switchboard app.`,
      ),
    );

  return {
    read(owner) {
      const variable = options.environment[keyVariableName(owner.id)]?.trim();
      if (variable) return Promise.resolve({ status: 'found', key: variable });
      const cacheKey = `${owner.id} ${owner.kind} ${owner.baseUrl}`;
      return remembered.get(cacheKey) ?? fromKeychain(owner, cacheKey);
    },
    write(owner) {
      return Promise.reject(readOnly(owner.id));
    },
    remove(connectionId) {
      return Promise.reject(readOnly(connectionId));
    },
  };
}
