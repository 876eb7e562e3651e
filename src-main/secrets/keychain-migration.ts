import { toAppError } from '../../src-shared/errors/app-error';
import { GATEWAY_TOKEN_ACCOUNT, LEGACY_GATEWAY_TOKEN_ACCOUNT, providerKeyAccount } from './keychain-accounts';
import { keychainProviderKeys, type KeyOwner } from './provider-keys';
import type { SecretStore } from './secret-store';

export interface KeychainMigrationResult {
  /** Connections whose key moved to its own account, bound to the connection's current address. */
  movedKeys: string[];
  /** True when the gateway token moved to its own account. */
  movedGatewayToken: boolean;
  /**
   * True when a connection had the id "gateway-token": the shared entry may hold either secret,
   * so it is dropped and both are asked for again (the provider key, and a new gateway token).
   */
  droppedAmbiguous: boolean;
}

/**
 * Moves secrets saved under the old names (account = connection id, and "gateway-token") to
 * their own non-colliding accounts. Safe to run on every start: it only touches old entries.
 */
export async function migrateKeychain(secrets: SecretStore, connections: readonly KeyOwner[]): Promise<KeychainMigrationResult> {
  const result: KeychainMigrationResult = { movedKeys: [], movedGatewayToken: false, droppedAmbiguous: false };
  const keys = keychainProviderKeys(secrets);
  const ambiguous = connections.some((connection) => connection.id === LEGACY_GATEWAY_TOKEN_ACCOUNT);
  for (const connection of connections) {
    if (connection.id === LEGACY_GATEWAY_TOKEN_ACCOUNT) continue;
    const legacy = await secrets.get(connection.id);
    if (legacy === null) continue;
    if ((await secrets.get(providerKeyAccount(connection.id))) === null) await keys.write(connection, legacy);
    await secrets.delete(connection.id);
    result.movedKeys.push(connection.id);
  }
  const legacyToken = await secrets.get(LEGACY_GATEWAY_TOKEN_ACCOUNT);
  if (legacyToken !== null) {
    if (ambiguous) result.droppedAmbiguous = true;
    else if ((await secrets.get(GATEWAY_TOKEN_ACCOUNT)) === null) {
      await secrets.set(GATEWAY_TOKEN_ACCOUNT, legacyToken);
      result.movedGatewayToken = true;
    }
    await secrets.delete(LEGACY_GATEWAY_TOKEN_ACCOUNT);
  }
  return result;
}

/** What the user is told after the migration: a title and what to do. */
export interface MigrationNotice {
  title: string;
  detail: string;
}

/**
 * Runs the migration without ever stopping the app from starting; a failure is told, not thrown.
 * A keychain that cannot be reached is not this migration's news: the migration runs again on the
 * next start, and saving or reading a key says what is wrong with the keychain where the user is.
 */
export async function migrateKeychainQuietly(
  secrets: SecretStore,
  connections: readonly KeyOwner[],
  warn: (notice: MigrationNotice) => void,
): Promise<void> {
  try {
    const result = await migrateKeychain(secrets, connections);
    if (result.droppedAmbiguous)
      warn({
        title: 'Paste one API key again',
        detail:
          'A connection named "Gateway token" shared its keychain entry with the gateway token: paste its API key again, and create a new gateway token under Settings → Local gateway.',
      });
  } catch (error) {
    const failure = toAppError(error);
    // Runs again on the next start; a key read in the meantime names the keychain problem itself.
    if (failure.code === 'keychain_unavailable') return;
    warn({
      title: 'Keychain entries not moved',
      detail: `Saved keys could not be moved to their new keychain names, so they may not be found: ${failure.message}`,
    });
  }
}
