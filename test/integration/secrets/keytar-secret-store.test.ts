import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AppErrorException } from '../../../src-shared/errors/app-error';
import { KeytarSecretStore, type KeytarApi } from '../../../src-main/secrets/keytar-secret-store';
import { MemorySecretStore } from '../../../src-main/secrets/memory-secret-store';
import { SECRET_SERVICE, type SecretStore } from '../../../src-main/secrets/secret-store';

const SECRET = 'sk-test-keychain-4f3e2d1c0b';

/** Linux reaches libsecret over the D-Bus session bus; without one there is no Secret Service to test. */
const skipReason =
  process.platform === 'linux' && !process.env['DBUS_SESSION_BUS_ADDRESS']
    ? 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset), so no Secret Service is reachable. Run: ' +
      "HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run --project integration test/integration/secrets'"
    : undefined;

if (skipReason) console.warn(`SKIPPING the real-keychain tests: ${skipReason}`);

async function keychainFailure(promise: Promise<unknown>): Promise<AppErrorException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppErrorException) return error;
    throw error;
  }
  throw new Error('expected the keychain call to fail');
}

/** The behaviour every SecretStore shares, run against the real keychain and the memory store. */
async function roundTrip(store: SecretStore, account: string): Promise<void> {
  expect(await store.has(account)).toBe(false);
  expect(await store.get(account)).toBeNull();
  await store.set(account, SECRET);
  expect(await store.get(account)).toBe(SECRET);
  expect(await store.has(account)).toBe(true);
  await store.set(account, `${SECRET}-rotated`);
  expect(await store.get(account)).toBe(`${SECRET}-rotated`);
  expect(await store.delete(account)).toBe(true);
  expect(await store.get(account)).toBeNull();
  expect(await store.has(account)).toBe(false);
  expect(await store.delete(account)).toBe(false);
}

describe.skipIf(skipReason !== undefined)(
  `KeytarSecretStore against the real OS keychain${skipReason ? ` (SKIPPED: ${skipReason})` : ''}`,
  () => {
    const store = new KeytarSecretStore();
    const account = `test-${randomUUID()}`;

    afterAll(async () => {
      await store.delete(account).catch(() => undefined);
    });

    it('sets, reads, checks and deletes a key under service "Switchboard"', async () => {
      await roundTrip(store, account);
    });

    it('the key is really in the keychain, under the Switchboard service and the connection id', async () => {
      await store.set(account, SECRET);
      const keytar = ((await import('keytar')) as unknown as { default: KeytarApi }).default;
      expect(await keytar.getPassword(SECRET_SERVICE, account)).toBe(SECRET);
      expect(await new KeytarSecretStore().get(account)).toBe(SECRET);
      await store.delete(account);
    });
  },
);

describe.runIf(skipReason !== undefined)('KeytarSecretStore with no Secret Service at all', () => {
  it('the real keytar fails as keychain_unavailable with words on what to install', async () => {
    const failure = await keychainFailure(new KeytarSecretStore({ timeoutMs: 10_000 }).set(`test-${randomUUID()}`, SECRET));
    expect(failure.appError.code).toBe('keychain_unavailable');
    expect(failure.appError.message).toMatch(/GNOME Keyring \(libsecret\)/);
  });
});

describe('KeytarSecretStore when the keychain cannot be used', () => {
  const working: KeytarApi = {
    getPassword: async () => null,
    setPassword: async () => undefined,
    deletePassword: async () => false,
  };

  it('a missing native module is reported, not a crash, and loading is retried later', async () => {
    let loads = 0;
    const store = new KeytarSecretStore({
      platform: 'linux',
      loadKeytar: async () => {
        loads += 1;
        if (loads === 1) throw new Error("Cannot find module '../build/Release/keytar.node'");
        return working;
      },
    });
    const failure = await keychainFailure(store.set('conn-1', SECRET));
    expect(failure.appError).toMatchObject({ code: 'keychain_unavailable', retryable: false, fallbackable: false });
    expect(failure.appError.message).toMatch(/install and unlock a Secret Service such as GNOME Keyring \(libsecret\)/i);
    expect(await store.get('conn-1')).toBeNull();
    expect(loads).toBe(2);
  });

  it.each([
    ['linux', /GNOME Keyring \(libsecret\)/],
    ['darwin', /Keychain Access/],
    ['win32', /Credential Manager/],
  ] as const)('a failing keychain on %s says what to fix, never the key', async (platform, words) => {
    const store = new KeytarSecretStore({
      platform,
      loadKeytar: async () => ({
        ...working,
        setPassword: async () => {
          throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
        },
      }),
    });
    const failure = await keychainFailure(store.set('conn-1', SECRET));
    expect(failure.appError.code).toBe('keychain_unavailable');
    expect(failure.appError.message).toMatch(words);
    expect(JSON.stringify(failure.appError)).not.toContain(SECRET);
  });

  it('a keychain that never answers (locked, waiting for a prompt) fails in time instead of hanging', async () => {
    const store = new KeytarSecretStore({
      timeoutMs: 200,
      loadKeytar: async () => ({ ...working, getPassword: () => new Promise<string | null>(() => undefined) }),
    });
    const started = Date.now();
    const failure = await keychainFailure(store.get('conn-1'));
    expect(failure.appError.code).toBe('keychain_unavailable');
    expect(failure.appError.message).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await keychainFailure(store.has('conn-1'))).appError.code).toBe('keychain_unavailable');
  });

  it('does not fall back to keeping the key anywhere else', async () => {
    const store = new KeytarSecretStore({
      loadKeytar: async () => ({
        getPassword: async () => {
          throw new Error('locked');
        },
        setPassword: async () => {
          throw new Error('locked');
        },
        deletePassword: async () => {
          throw new Error('locked');
        },
      }),
    });
    await keychainFailure(store.set('conn-1', SECRET));
    expect((await keychainFailure(store.get('conn-1'))).appError.code).toBe('keychain_unavailable');
    expect(JSON.stringify(store)).not.toContain(SECRET);
  });
});

describe('MemorySecretStore (for unit tests)', () => {
  it('behaves like the keychain store', async () => {
    await roundTrip(new MemorySecretStore(), 'conn-1');
  });
});
