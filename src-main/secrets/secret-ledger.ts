/**
 * Every secret this process has held: provider keys (current and rotated away) and the gateway's
 * tokens. The call log redacts all of them, so a key replaced an hour ago is still never stored.
 * It lives in memory only and is never sent anywhere.
 */
export interface SecretLedger {
  remember(secret: string | null | undefined): void;
  all(): string[];
}

export function createSecretLedger(): SecretLedger {
  const held = new Set<string>();
  return {
    remember(secret) {
      const trimmed = secret?.trim();
      if (trimmed) held.add(trimmed);
    },
    all: () => [...held],
  };
}
