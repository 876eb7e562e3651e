import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import {
  connectionPatchSchema,
  discoverModelsInputSchema,
  modelFactsPatchSchema,
  newConnectionInputSchema,
  removeConnectionInputSchema,
  type LocalOllamaOffer,
  type ProviderProfileView,
} from '../../src-shared/schemas/connection-input';
import type { ConnectionService } from '../connections/connection-service';
import type { HandlerMap } from './handler-types';

export interface ConnectionHandlerDependencies {
  connections: ConnectionService;
  profiles: readonly ProviderProfileView[];
  detectOllama(): Promise<LocalOllamaOffer | null>;
}

const idPayload = z.object({ id: z.string().min(1).max(100) }).strict();

type ConnectionChannel = Extract<keyof InvokeContract, `app:connections.${string}`>;

export function createConnectionHandlers(deps: ConnectionHandlerDependencies): HandlerMap<ConnectionChannel> {
  const { connections } = deps;
  return {
    'app:connections.list': { payload: z.undefined(), handle: () => connections.list() },
    'app:connections.profiles': { payload: z.undefined(), handle: () => [...deps.profiles] },
    'app:connections.add': { payload: newConnectionInputSchema, handle: (input) => connections.add(input) },
    'app:connections.update': { payload: connectionPatchSchema, handle: (patch) => connections.update(patch) },
    'app:connections.remove': {
      payload: removeConnectionInputSchema,
      handle: ({ id, newPrimaryId }) => connections.remove(id, newPrimaryId),
    },
    'app:connections.setPrimary': { payload: idPayload, handle: ({ id }) => connections.setPrimary(id) },
    'app:connections.test': { payload: idPayload, handle: ({ id }) => connections.test(id) },
    'app:connections.discoverModels': { payload: discoverModelsInputSchema, handle: (input) => connections.discoverModels(input) },
    'app:connections.setModelFacts': {
      payload: modelFactsPatchSchema,
      handle: ({ connectionId, facts }) => connections.setModelFacts(connectionId, facts),
    },
    'app:connections.detectOllama': { payload: z.undefined(), handle: () => deps.detectOllama() },
  };
}
