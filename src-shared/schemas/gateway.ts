import { z } from 'zod';
import { gatewaySettingsSchema } from './settings';
import { visibleText } from './visible-text';

/** The local gateway as Settings shows it. No token is ever part of it. */
export interface GatewayStatus {
  enabled: boolean;
  running: boolean;
  port: number;
  /** The OpenAI base URL for clients, e.g. http://127.0.0.1:4141/v1, when running. */
  baseUrl: string | null;
  allowedOrigins: string[];
  /** How many clients have a live token. */
  clientCount: number;
  /** Why it is not running although enabled ("Port 4141 is in use: choose another port"). */
  error: string | null;
}

/** What the user sets in Settings -> Local gateway; the clients are managed one by one. */
export const gatewayConfigureInputSchema = gatewaySettingsSchema.pick({ enabled: true, port: true, allowedOrigins: true }).strict();
export type GatewayConfigureInput = z.infer<typeof gatewayConfigureInputSchema>;

/** A client's name as typed: what tells its calls apart in Activity ("editor", "scripts"). */
export const gatewayClientNameSchema = visibleText(z.string().trim(), 'client name')
  .min(1, 'Give the client a name, e.g. editor or scripts')
  .max(40, 'Keep the client name to 40 characters');

/** The request only; the name itself is checked where the client is made, which says what is wrong with it. */
export const gatewayCreateClientInputSchema = z.object({ name: z.string().max(1000) }).strict();
export const gatewayRevokeClientInputSchema = z.object({ id: z.string().min(1).max(100) }).strict();

/** A client as Settings lists it: its token's dates and this month's use, never the token. */
export interface GatewayClientView {
  id: string;
  name: string;
  createdAt: number;
  /** When its token was last accepted; null when never. */
  lastUsedAt: number | null;
  /** Calls logged for it since the start of this local month. */
  monthCalls: number;
  /** What those calls cost, in USD (priced calls only). */
  monthCostUsd: number;
  /** Calls this month with tokens but no known price. */
  monthUnpricedCalls: number;
}

export interface GatewayCreatedClient {
  client: GatewayClientView;
  /** The token: returned this once, shown once, never again. */
  token: string;
}
