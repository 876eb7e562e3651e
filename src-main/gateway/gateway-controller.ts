import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import type { GatewayConfigureResult, GatewayStatus } from '../../src-shared/schemas/gateway';
import type { GatewaySettings } from '../../src-shared/schemas/settings';
import type { CallRunner } from '../calls/call-runner';
import type { TokenCounter } from '../engine/ports';
import { GATEWAY_TOKEN_ACCOUNT } from '../secrets/keychain-accounts';
import type { SecretLedger } from '../secrets/secret-ledger';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import { createGatewayServer, type GatewayServer } from './gateway-server';
import { generateToken } from './request-guards';

/**
 * Runs the local gateway inside the app as Settings says: on or off, its port, its allowed
 * origins. The bearer token lives in the keychain; a new one is returned once, to be shown once.
 */
export function createGatewayController(deps: {
  runner: Pick<CallRunner, 'run'>;
  settings: SettingsService;
  secrets: SecretStore;
  /** Told every token, so the call log redacts it (CoreServices.secretLedger). */
  ledger: SecretLedger;
  onChange(status: GatewayStatus): void;
  /** Exact token counts for the max-input check (CoreServices.tokenCounter). */
  tokenCounter?: TokenCounter;
}) {
  let server: GatewayServer | null = null;
  let running: { port: number } | null = null;
  let error: string | null = null;
  let tokenStored = false;
  let token: string | null = null;
  let applying: Promise<void> = Promise.resolve();

  const status = (): GatewayStatus => {
    const config = deps.settings.get().gateway;
    return {
      enabled: config.enabled,
      running: running !== null,
      port: running?.port ?? config.port,
      baseUrl: running ? `http://127.0.0.1:${running.port}/v1` : null,
      allowedOrigins: config.allowedOrigins,
      tokenStored,
      error,
    };
  };

  const readToken = async (): Promise<string> => {
    token ??= await deps.secrets.get(GATEWAY_TOKEN_ACCOUNT);
    deps.ledger.remember(token);
    if (!token) throw new AppErrorException(appError('auth_invalid', 'The gateway has no token yet.'));
    return token;
  };

  const stop = async () => {
    await server?.close();
    server = null;
    running = null;
  };

  const apply = async (config: GatewaySettings) => {
    await stop();
    error = null;
    if (!config.enabled) return;
    server = createGatewayServer({
      runner: deps.runner,
      settings: deps.settings,
      token: readToken,
      allowedOrigins: () => deps.settings.get().gateway.allowedOrigins,
      ...(deps.tokenCounter ? { tokenCounter: deps.tokenCounter } : {}),
    });
    try {
      const address = await server.listen(config.port);
      running = { port: address.port };
    } catch (failure) {
      server = null;
      const code = (failure as NodeJS.ErrnoException).code;
      error =
        code === 'EADDRINUSE'
          ? `Port ${config.port} is in use: choose another port.`
          : `The gateway could not start: ${(failure as Error).message}`;
    }
  };

  const reapply = () => {
    applying = applying.then(() => apply(deps.settings.get().gateway)).then(() => deps.onChange(status()));
    return applying;
  };

  return {
    status,
    /** Starts the gateway at launch when it was left on. */
    async start() {
      tokenStored = (await deps.secrets.get(GATEWAY_TOKEN_ACCOUNT).catch(() => null)) !== null;
      await reapply();
    },
    async configure(config: GatewaySettings): Promise<GatewayConfigureResult> {
      let newToken: string | null = null;
      if (config.enabled && !(await deps.secrets.get(GATEWAY_TOKEN_ACCOUNT))) {
        newToken = generateToken();
        deps.ledger.remember(newToken);
        await deps.secrets.set(GATEWAY_TOKEN_ACCOUNT, newToken);
        token = newToken;
        tokenStored = true;
      }
      deps.settings.update((current) => ({ ...current, gateway: config }));
      await reapply();
      return { status: status(), newToken };
    },
    async regenerateToken(): Promise<string> {
      const fresh = generateToken();
      deps.ledger.remember(fresh);
      await deps.secrets.set(GATEWAY_TOKEN_ACCOUNT, fresh);
      token = fresh;
      tokenStored = true;
      deps.onChange(status());
      return fresh;
    },
    stop,
  };
}

export type GatewayController = ReturnType<typeof createGatewayController>;
