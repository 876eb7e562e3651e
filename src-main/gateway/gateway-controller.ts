import type { GatewayConfigureInput, GatewayStatus } from '../../src-shared/schemas/gateway';
import type { CallRunner } from '../calls/call-runner';
import type { TokenCounter } from '../engine/ports';
import type { SettingsService } from '../settings/settings-service';
import type { GatewayClients } from './gateway-clients';
import { createGatewayServer, type GatewayServer } from './gateway-server';

/**
 * Runs the local gateway inside the app as Settings says: on or off, its port, its allowed
 * origins. Its clients and their tokens are GatewayClients'; any live token admits its client.
 */
export function createGatewayController(deps: {
  runner: Pick<CallRunner, 'run'>;
  settings: SettingsService;
  clients: GatewayClients;
  onChange(status: GatewayStatus): void;
  /** Exact token counts for the max-input check (CoreServices.tokenCounter). */
  tokenCounter?: TokenCounter;
}) {
  let server: GatewayServer | null = null;
  let running: { port: number } | null = null;
  let error: string | null = null;
  let applying: Promise<void> = Promise.resolve();

  const status = (): GatewayStatus => {
    const config = deps.settings.get().gateway;
    return {
      enabled: config.enabled,
      running: running !== null,
      port: running?.port ?? config.port,
      baseUrl: running ? `http://127.0.0.1:${running.port}/v1` : null,
      allowedOrigins: config.allowedOrigins,
      clientCount: deps.clients.count(),
      error,
    };
  };

  const stop = async () => {
    await server?.close();
    server = null;
    running = null;
  };

  const apply = async () => {
    const config = deps.settings.get().gateway;
    await stop();
    error = null;
    if (!config.enabled) return;
    server = createGatewayServer({
      runner: deps.runner,
      settings: deps.settings,
      tokens: () => deps.clients.tokens(),
      onClient: (client) => deps.clients.seen(client),
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
    applying = applying.then(apply).then(() => deps.onChange(status()));
    return applying;
  };

  return {
    status,
    /** Starts the gateway at launch when it was left on. */
    async start() {
      await reapply();
    },
    async configure(config: GatewayConfigureInput): Promise<GatewayStatus> {
      deps.settings.update((current) => ({ ...current, gateway: { ...current.gateway, ...config } }));
      await reapply();
      return status();
    },
    /** Tells the window that the client count changed. */
    clientsChanged() {
      deps.onChange(status());
    },
    stop,
  };
}

export type GatewayController = ReturnType<typeof createGatewayController>;
