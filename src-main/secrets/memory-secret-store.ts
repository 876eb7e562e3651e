import type { SecretStore } from './secret-store';

/** For unit tests only: a SecretStore that forgets everything with the process. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }

  async has(account: string): Promise<boolean> {
    return this.secrets.has(account);
  }
}
