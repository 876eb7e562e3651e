import { randomUUID } from 'node:crypto';

/** A keychain service name of its own per test run, so tests never touch the user's real keys. */
export function testKeychainService(): string {
  return `Switchboard-test-${randomUUID().slice(0, 8)}`;
}

/** True when a Secret Service is reachable (CI runs the tests under dbus-run-session with GNOME Keyring). */
export function hasSecretService(): boolean {
  return Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || process.platform !== 'linux';
}
