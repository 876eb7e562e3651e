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
  const boundTo = (connection: Pick<Connection, 'kind' | 'baseUrl'>) => `${connection.kind} ${keyOrigin(connection.baseUrl)}`;
  const lookup = async (connection: Connection): Promise<KeyLookup> => {
    const cached = keys.get(connection.id);
    if (cached && cached.boundTo === boundTo(connection)) return cached.lookup;
    const found = await store.read(connection);
    if (found.status === 'found') ledger.remember(found.key);
    keys.set(connection.id, { boundTo: boundTo(connection), lookup: found });
    return found;
  };
  return {
    /** What the keychain holds for the connection's kind and origin. */
    lookup,
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
