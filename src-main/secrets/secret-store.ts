/** The keychain service name every Switchboard secret is stored under. */
export const SECRET_SERVICE = 'Switchboard';

/**
 * Where API keys live: the OS keychain in the app, memory in unit tests. Accounts are connection
 * ids. Every method fails with an AppErrorException (keychain_unavailable) rather than hanging.
 */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
  has(account: string): Promise<boolean>;
}
