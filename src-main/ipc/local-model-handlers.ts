import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { localModelRequestSchema } from '../../src-shared/schemas/local-models';
import type { LocalModelService } from '../connections/local-model-service';
import type { HandlerMap } from './handler-types';

export interface LocalModelHandlerDependencies {
  localModels: LocalModelService;
}

type LocalModelChannel = Extract<keyof InvokeContract, `app:localModels.${string}`>;

export function createLocalModelHandlers(deps: LocalModelHandlerDependencies): HandlerMap<LocalModelChannel> {
  const { localModels } = deps;
  return {
    'app:localModels.list': {
      payload: z.object({ connectionId: z.string().min(1).max(100) }).strict(),
      handle: ({ connectionId }) => localModels.list(connectionId),
    },
    'app:localModels.pull': { payload: localModelRequestSchema, handle: ({ connectionId, name }) => localModels.pull(connectionId, name) },
    'app:localModels.cancelPull': {
      payload: localModelRequestSchema,
      handle: ({ connectionId, name }) => localModels.cancelPull(connectionId, name),
    },
    'app:localModels.remove': {
      payload: localModelRequestSchema,
      handle: ({ connectionId, name }) => localModels.remove(connectionId, name),
    },
    'app:localModels.refreshLoaded': { payload: z.undefined(), handle: () => localModels.refreshAllLoaded() },
  };
}
