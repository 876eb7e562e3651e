import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { gatewayConfigureInputSchema } from '../../src-shared/schemas/gateway';
import type { GatewayController } from '../gateway/gateway-controller';
import type { HandlerMap } from './handler-types';

type GatewayChannel = Extract<keyof InvokeContract, `app:gateway.${string}`>;

export function createGatewayHandlers(deps: { gateway: GatewayController }): HandlerMap<GatewayChannel> {
  return {
    'app:gateway.status': { payload: z.undefined(), handle: () => deps.gateway.status() },
    'app:gateway.configure': { payload: gatewayConfigureInputSchema, handle: (config) => deps.gateway.configure(config) },
    'app:gateway.regenerateToken': { payload: z.undefined(), handle: async () => ({ token: await deps.gateway.regenerateToken() }) },
  };
}
