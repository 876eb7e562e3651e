// The gateway's clients: one named token each ("editor", "scripts"), each revocable on its own.
// Names and dates live in settings; the tokens live in the keychain under app-secret: names and
// reach the renderer once, when created. Revoked tokens are remembered by digest only.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import type { ClientUsage } from '../../src-shared/schemas/call-log';
import { gatewayClientNameSchema, type GatewayClientView, type GatewayCreatedClient } from '../../src-shared/schemas/gateway';
import type { GatewayClient } from '../../src-shared/schemas/settings';
import { GATEWAY_REVOKED_ACCOUNT, GATEWAY_TOKEN_ACCOUNT, gatewayClientTokenAccount } from '../secrets/keychain-accounts';
import type { SecretLedger } from '../secrets/secret-ledger';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { GatewayTokens } from './gateway-server';
import { generateToken, tokenDigest, type RevokedToken } from './request-guards';

/** The name the one token from before named clients gets: its clients keep working. */
export const MIGRATED_CLIENT_NAME = 'default';

/** Revoked digests kept; older ones then get the plain "wrong token" answer. */
const REVOKED_KEPT = 100;

/** A client's last use is written to settings at most this often; memory has the exact time. */
const LAST_USED_WRITE_MS = 3_600_000;

const revokedListSchema = z.array(z.object({ client: z.string(), revokedAt: z.number(), digest: z.string().regex(/^[0-9a-f]{64}$/) }));

export interface GatewayClientsDependencies {
  settings: SettingsService;
  secrets: SecretStore;
  /** Told every token, so the call log redacts it. */
  ledger: SecretLedger;
  /** Calls per client since a time, from the call log. */
  usage(since: number): Promise<ClientUsage[]>;
  now(): number;
  newId?: () => string;
}

export interface GatewayClients {
  /**
   * At launch: migrates, then reads every token so the call log redacts them from the first call.
   * A keychain that cannot be reached is not fatal: the next start migrates, the next request reads.
   */
  start(): Promise<void>;
  /** Moves the single token from before named clients to the first named one; safe on every start. */
  migrate(): Promise<GatewayClient | null>;
  /** The live tokens and the revoked digests, read from the keychain once and then kept. */
  tokens(): Promise<GatewayTokens>;
  /** Notes that a client's token was just accepted. */
  seen(client: string): void;
  list(): Promise<GatewayClientView[]>;
  /** A new client with a new token, returned this once. */
  create(name: string): Promise<GatewayCreatedClient>;
  /** Deletes a client's token: the gateway refuses it from the next request on. */
  revoke(id: string): Promise<void>;
  count(): number;
}

function validationError(message: string): AppErrorException {
  return new AppErrorException(appError('validation_failed', message, { field: 'name' }));
}

/** The start of the current local month, ms since the epoch. */
function monthStart(now: number): number {
  const today = new Date(now);
  return new Date(today.getFullYear(), today.getMonth(), 1).getTime();
}

export function createGatewayClients(deps: GatewayClientsDependencies): GatewayClients {
  const newId = deps.newId ?? (() => randomUUID());
  const clients = () => deps.settings.get().gateway.clients;
  // Client id -> token, filled from the keychain on first use; a failed read is retried next time.
  let live: Map<string, string> | null = null;
  let revoked: RevokedToken[] | null = null;
  const lastSeen = new Map<string, number>();

  const writeClients = (change: (current: GatewayClient[]) => GatewayClient[]) =>
    deps.settings.update((current) => ({ ...current, gateway: { ...current.gateway, clients: change(current.gateway.clients) } }));

  const loadLive = async (): Promise<Map<string, string>> => {
    if (live) return live;
    const loaded = new Map<string, string>();
    for (const client of clients()) {
      const token = await deps.secrets.get(gatewayClientTokenAccount(client.id));
      if (token === null) continue;
      deps.ledger.remember(token);
      loaded.set(client.id, token);
    }
    live = loaded;
    return loaded;
  };

  const loadRevoked = async (): Promise<RevokedToken[]> => {
    if (revoked) return revoked;
    const stored = await deps.secrets.get(GATEWAY_REVOKED_ACCOUNT);
    let parsed: RevokedToken[] = [];
    try {
      parsed = stored === null ? [] : revokedListSchema.parse(JSON.parse(stored));
    } catch {
      // An unreadable list only costs the "was revoked" wording; those tokens stay refused.
    }
    revoked = parsed;
    return parsed;
  };

  const clientsApi: GatewayClients = {
    async start() {
      await clientsApi.migrate().catch(() => null);
      await clientsApi.tokens().catch(() => undefined);
    },

    async migrate() {
      const single = await deps.secrets.get(GATEWAY_TOKEN_ACCOUNT);
      if (single === null) return null;
      deps.ledger.remember(single);
      // A start that stopped between the two writes below finds the token moved already.
      for (const [, token] of await loadLive()) {
        if (token === single) {
          await deps.secrets.delete(GATEWAY_TOKEN_ACCOUNT);
          return null;
        }
      }
      const client: GatewayClient = { id: newId(), name: MIGRATED_CLIENT_NAME, createdAt: deps.now() };
      // Keychain first: a crash in between leaves the old entry, and the next start moves it again.
      await deps.secrets.set(gatewayClientTokenAccount(client.id), single);
      writeClients((current) => [...current, client]);
      await deps.secrets.delete(GATEWAY_TOKEN_ACCOUNT);
      live = null;
      return client;
    },

    async tokens() {
      const [tokens, gone] = await Promise.all([loadLive(), loadRevoked()]);
      const names = new Map(clients().map((client) => [client.id, client.name]));
      return {
        live: [...tokens].flatMap(([id, token]) => {
          const client = names.get(id);
          return client === undefined ? [] : [{ client, token }];
        }),
        revoked: gone,
      };
    },

    seen(name) {
      const at = deps.now();
      lastSeen.set(name, at);
      const client = clients().find((candidate) => candidate.name === name);
      if (!client || (client.lastUsedAt !== undefined && at - client.lastUsedAt < LAST_USED_WRITE_MS)) return;
      try {
        writeClients((current) => current.map((entry) => (entry.id === client.id ? { ...entry, lastUsedAt: at } : entry)));
      } catch {
        // A settings file that cannot be written now only delays this date.
      }
    },

    async list() {
      const usage = new Map((await deps.usage(monthStart(deps.now()))).map((row) => [row.client, row]));
      return clients().map((client) => {
        const used = usage.get(client.name);
        const last = Math.max(client.lastUsedAt ?? 0, lastSeen.get(client.name) ?? 0, used?.lastAt ?? 0);
        return {
          id: client.id,
          name: client.name,
          createdAt: client.createdAt,
          lastUsedAt: last > 0 ? last : null,
          monthCalls: used?.calls ?? 0,
          monthCostUsd: used?.costUsd ?? 0,
          monthUnpricedCalls: used?.unpricedCalls ?? 0,
        };
      });
    },

    async create(typed) {
      const parsed = gatewayClientNameSchema.safeParse(typed);
      if (!parsed.success) throw validationError(parsed.error.issues[0]?.message ?? 'Give the client a name.');
      const name = parsed.data;
      const taken = clients().find((client) => client.name.toLocaleLowerCase() === name.toLocaleLowerCase());
      if (taken)
        throw validationError(`A client named "${taken.name}" already has a token: choose another name, or revoke that one first.`);
      const tokens = await loadLive();
      const client: GatewayClient = { id: newId(), name, createdAt: deps.now() };
      const token = generateToken();
      deps.ledger.remember(token);
      await deps.secrets.set(gatewayClientTokenAccount(client.id), token);
      writeClients((current) => [...current, client]);
      tokens.set(client.id, token);
      return {
        client: {
          id: client.id,
          name,
          createdAt: client.createdAt,
          lastUsedAt: null,
          monthCalls: 0,
          monthCostUsd: 0,
          monthUnpricedCalls: 0,
        },
        token,
      };
    },

    async revoke(id) {
      const client = clients().find((candidate) => candidate.id === id);
      if (!client) throw new AppErrorException(appError('not_found', 'That client has no token any more: it was revoked already.'));
      const tokens = await loadLive();
      const token = tokens.get(id) ?? (await deps.secrets.get(gatewayClientTokenAccount(id)));
      // Refused from this moment on, whatever happens to the writes below.
      tokens.delete(id);
      if (token !== null) {
        const gone = [...(await loadRevoked()), { client: client.name, revokedAt: deps.now(), digest: tokenDigest(token) }].slice(
          -REVOKED_KEPT,
        );
        revoked = gone;
        await deps.secrets.set(GATEWAY_REVOKED_ACCOUNT, JSON.stringify(gone));
      }
      writeClients((current) => current.filter((entry) => entry.id !== id));
      await deps.secrets.delete(gatewayClientTokenAccount(id));
    },

    count: () => clients().length,
  };
  return clientsApi;
}
