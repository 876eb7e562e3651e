// Provider keys as the connection service reads them: from the keychain once, then from memory.
import type { Connection } from '../../src-shared/schemas/connection';
import { foundKey, keyOrigin, type KeyLookup, type ProviderKeyStore } from '../secrets/provider-keys';
import type { SecretLedger } from '../secrets/secret-ledger';

/**
 * Keys read from the keychain once and kept in main's memory: a keychain round trip per call
 * would cost more than routing itself. Every write through here updates it. Each entry
 * remembers the kind and origin it was looked up for, so a changed address asks again.
 */
export function createConnectionKeys(store: ProviderKeyStore, ledger: SecretLedger) {
  const keys = new Map<string, { boundTo: string; lookup: KeyLookup }>();
  // A connection object never changes (a settings change replaces it): its origin is parsed once.
  const bindings = new WeakMap<Pick<Connection, 'kind' | 'baseUrl'>, string>();
  const boundTo = (connection: Pick<Connection, 'kind' | 'baseUrl'>) => {
    let binding = bindings.get(connection);
    if (binding === undefined) {
      binding = `${connection.kind} ${keyOrigin(connection.baseUrl)}`;
      bindings.set(connection, binding);
    }
    return binding;
  };
  /** The lookup already in memory for this connection's kind and origin, without asking the keychain. */
  const known = (connection: Connection): KeyLookup | undefined => {
    const cached = keys.get(connection.id);
    return cached && cached.boundTo === boundTo(connection) ? cached.lookup : undefined;
  };
  const lookup = async (connection: Connection): Promise<KeyLookup> => {
    const cached = known(connection);
    if (cached) return cached;
    const found = await store.read(connection);
    if (found.status === 'found') ledger.remember(found.key);
    keys.set(connection.id, { boundTo: boundTo(connection), lookup: found });
    return found;
  };
  return {
    /** What the keychain holds for the connection's kind and origin. */
    lookup,
    known,
    /** The key that may be sent to this connection, or null. */
    read: async (connection: Connection): Promise<string | null> => foundKey(await lookup(connection)),
    async write(connection: Connection, key: string): Promise<void> {
      ledger.remember(key);
      await store.write(connection, key);
      keys.set(connection.id, { boundTo: boundTo(connection), lookup: { status: 'found', key } });
    },
    async remove(id: string): Promise<void> {
      keys.delete(id);
      await store.remove(id);
    },
  };
}
