// Keychain account names. Provider keys and the app's own secrets live under different prefixes, so
// no connection id (a slug of a name the user typed) can ever name an app secret, and vice versa.

/** The account of a connection's API key. */
export function providerKeyAccount(connectionId: string): string {
  return `provider-key:${connectionId}`;
}

/** The account of one of the app's own secrets (the gateway's tokens). */
export function appSecretAccount(name: string): string {
  return `app-secret:${name}`;
}

/** Where the gateway token lived before app secrets had their own names (shared with connection ids). */
export const LEGACY_GATEWAY_TOKEN_ACCOUNT = 'gateway-token';

/** The gateway's one bearer token before clients had names; moved to the first named client on start. */
export const GATEWAY_TOKEN_ACCOUNT = appSecretAccount('gateway-token');

/** The token of one named gateway client. */
export function gatewayClientTokenAccount(clientId: string): string {
  return appSecretAccount(`gateway-client:${clientId}`);
}

/** Digests of revoked gateway tokens, so a revoked client is told so rather than "wrong token". */
export const GATEWAY_REVOKED_ACCOUNT = appSecretAccount('gateway-revoked');
