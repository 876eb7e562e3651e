import type { Connection } from '../../src-shared/schemas/connection';
import { providerKeyAccount } from './keychain-accounts';
import type { SecretStore } from './secret-store';

/** What a key is bound to: the connection it belongs to, the kind and the address it was saved for. */
export type KeyOwner = Pick<Connection, 'id' | 'kind' | 'baseUrl'>;

/** A saved key as it sits in the keychain: the key and what it may be sent to. */
interface SavedKey {
  key: string;
  origin: string;
  kind: string;
}

/** The answer to "which key may this connection send?" */
export type KeyLookup =
  | { status: 'found'; key: string }
  | { status: 'none' }
  /** A key exists but was saved for another address or provider kind: it is not handed out. */
  | { status: 'other-origin'; savedFor: string };

/** Where provider keys are read and written; the keychain in the app, variables + keychain headless. */
export interface ProviderKeyStore {
  read(owner: KeyOwner): Promise<KeyLookup>;
  write(owner: KeyOwner, key: string): Promise<void>;
  remove(connectionId: string): Promise<void>;
}

/**
 * The scheme, host and port a key may be sent to. Paths do not matter (one provider serves many),
 * but a different host, port or scheme is a different recipient.
 */
export function keyOrigin(baseUrl: string): string {
  try {
    const url = new URL(baseUrl.trim());
    return url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
  } catch {
    return baseUrl.trim().toLowerCase();
  }
}

/** THE rule: a saved key goes only to the origin and kind it was saved for. */
export function keyMayGoTo(saved: { origin: string; kind: string }, owner: Pick<KeyOwner, 'kind' | 'baseUrl'>): boolean {
  return saved.origin === keyOrigin(owner.baseUrl) && saved.kind === owner.kind;
}

const describeSaved = (saved: SavedKey) => `${saved.origin} (${saved.kind})`;

function encode(owner: KeyOwner, key: string): string {
  const saved: SavedKey = { key, origin: keyOrigin(owner.baseUrl), kind: owner.kind };
  return JSON.stringify({ switchboardKey: 1, ...saved });
}

/** A keychain value written by encode(); anything else (a legacy bare key) binds to nothing. */
function decode(value: string): SavedKey | null {
  if (!value.startsWith('{')) return null;
  try {
    const parsed = JSON.parse(value) as Partial<SavedKey> & { switchboardKey?: unknown };
    if (
      parsed.switchboardKey !== 1 ||
      typeof parsed.key !== 'string' ||
      typeof parsed.origin !== 'string' ||
      typeof parsed.kind !== 'string'
    )
      return null;
    return { key: parsed.key, origin: parsed.origin, kind: parsed.kind };
  } catch {
    return null;
  }
}

/** Looks a key up in the keychain and hands it out only when it may go to this owner. */
export async function readBoundKey(secrets: SecretStore, owner: KeyOwner): Promise<KeyLookup> {
  const value = await secrets.get(providerKeyAccount(owner.id));
  if (value === null) return { status: 'none' };
  const saved = decode(value);
  if (!saved) return { status: 'other-origin', savedFor: 'an unknown address' };
  if (!keyMayGoTo(saved, owner)) return { status: 'other-origin', savedFor: describeSaved(saved) };
  return { status: 'found', key: saved.key };
}

/** The app's provider keys in the OS keychain, each stored with the origin and kind it was saved for. */
export function keychainProviderKeys(secrets: SecretStore): ProviderKeyStore {
  return {
    read: (owner) => readBoundKey(secrets, owner),
    write: (owner, key) => secrets.set(providerKeyAccount(owner.id), encode(owner, key)),
    async remove(connectionId) {
      await secrets.delete(providerKeyAccount(connectionId));
    },
  };
}

/** Every key a lookup may return, to check a draft before any request leaves. */
export function foundKey(lookup: KeyLookup): string | null {
  return lookup.status === 'found' ? lookup.key : null;
}
