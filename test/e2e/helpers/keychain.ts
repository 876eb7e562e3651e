import { randomUUID } from 'node:crypto';
import keytar from 'keytar';
import { describe } from 'vitest';

/** A keychain service name of its own per test run, so tests never touch the user's real keys. */
export function testKeychainService(): string {
  return `Switchboard-test-${randomUUID().slice(0, 8)}`;
}

const howToRun =
  "run under a Secret Service: HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; npx vitest run --project e2e'";

/** Why the real keychain cannot be used here (asked of the Secret Service itself), or null when it can. */
async function keychainProblem(): Promise<string | null> {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    return `no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset), so no Secret Service; ${howToRun}`;
  }
  try {
    await keytar.findCredentials(`Switchboard-probe-${randomUUID().slice(0, 8)}`);
    return null;
  } catch (error) {
    return `the Secret Service did not answer (${error instanceof Error ? error.message : String(error)}); ${howToRun}`;
  }
}

const problem = await keychainProblem();

/**
 * A describe block for specs that store keys in the real keychain. Without one it is skipped,
 * loudly and with the reason in its name (CI fails on any skipped end-to-end spec: .ci/run).
 */
export function describeWithKeychain(title: string, body: () => void): void {
  if (problem === null) {
    describe(title, body);
    return;
  }
  console.warn(`\n!! SKIPPED e2e spec "${title}": ${problem}\n`);
  describe.skip(`${title} [SKIPPED: needs the real keychain: ${problem}]`, body);
}
