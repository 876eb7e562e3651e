import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import {
  gatewayConfigureInputSchema,
  gatewayCreateClientInputSchema,
  gatewayRevokeClientInputSchema,
} from '../../src-shared/schemas/gateway';
import type { GatewayClients } from '../gateway/gateway-clients';
import type { GatewayController } from '../gateway/gateway-controller';
import type { HandlerMap } from './handler-types';

type GatewayChannel = Extract<keyof InvokeContract, `app:gateway.${string}`>;

export function createGatewayHandlers(deps: { gateway: GatewayController; clients: GatewayClients }): HandlerMap<GatewayChannel> {
  return {
    'app:gateway.status': { payload: z.undefined(), handle: () => deps.gateway.status() },
    'app:gateway.configure': { payload: gatewayConfigureInputSchema, handle: (config) => deps.gateway.configure(config) },
    'app:gateway.clients': { payload: z.undefined(), handle: () => deps.clients.list() },
    'app:gateway.createClient': {
      payload: gatewayCreateClientInputSchema,
      async handle({ name }) {
        const created = await deps.clients.create(name);
        deps.gateway.clientsChanged();
        return created;
      },
    },
    'app:gateway.revokeClient': {
      payload: gatewayRevokeClientInputSchema,
      async handle({ id }) {
        await deps.clients.revoke(id);
        deps.gateway.clientsChanged();
        return deps.clients.list();
      },
    },
  };
}
