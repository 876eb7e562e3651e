import { gatewaySettingsSchema } from './settings';

/** The local gateway as Settings shows it. The token itself is never part of it. */
export interface GatewayStatus {
  enabled: boolean;
  running: boolean;
  port: number;
  /** The OpenAI base URL for clients, e.g. http://127.0.0.1:4141/v1, when running. */
  baseUrl: string | null;
  allowedOrigins: string[];
  /** Whether a token exists in the keychain. */
  tokenStored: boolean;
  /** Why it is not running although enabled ("Port 4141 is in use: choose another port"). */
  error: string | null;
}

export const gatewayConfigureInputSchema = gatewaySettingsSchema.strict();

export interface GatewayConfigureResult {
  status: GatewayStatus;
  /** Set only when a token was just created: shown once, then never again. */
  newToken: string | null;
}
