import { createActivityHandlers } from './activity-handlers';
import { createAppHandlers } from './app-handlers';
import { createChatHandlers } from './chat-handlers';
import { createConfigHandlers } from './config-handlers';
import { createConnectionHandlers } from './connection-handlers';
import { createGatewayHandlers } from './gateway-handlers';
import type { HandlerMap } from './handler-types';
import { createLocalModelHandlers } from './local-model-handlers';
import { createRoutingHandlers } from './routing-handlers';
import { createSpendHandlers } from './spend-handlers';
import { createTaskHandlers } from './task-handlers';

/** What each domain's handlers are built from. */
export interface AllHandlerDependencies {
  app: Parameters<typeof createAppHandlers>[0];
  routing: Parameters<typeof createRoutingHandlers>[0];
  config: Parameters<typeof createConfigHandlers>[0];
  chat: Parameters<typeof createChatHandlers>[0];
  tasks: Parameters<typeof createTaskHandlers>[0];
  activity: Parameters<typeof createActivityHandlers>[0];
  spend: Parameters<typeof createSpendHandlers>[0];
  gateway: Parameters<typeof createGatewayHandlers>[0];
  localModels: Parameters<typeof createLocalModelHandlers>[0];
  connections: Parameters<typeof createConnectionHandlers>[0];
}

/**
 * Every channel's handler, one domain file each. The return type is the whole HandlerMap, so a
 * channel added to the contract without a handler does not compile.
 */
export function createAllHandlers(deps: AllHandlerDependencies): HandlerMap {
  return {
    ...createAppHandlers(deps.app),
    ...createRoutingHandlers(deps.routing),
    ...createConfigHandlers(deps.config),
    ...createChatHandlers(deps.chat),
    ...createTaskHandlers(deps.tasks),
    ...createActivityHandlers(deps.activity),
    ...createSpendHandlers(deps.spend),
    ...createGatewayHandlers(deps.gateway),
    ...createLocalModelHandlers(deps.localModels),
    ...createConnectionHandlers(deps.connections),
  };
}
