import { z } from 'zod';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { routeRequestSchema } from '../../src-shared/schemas/route-plan';
import { routingConfigSchema, type RoutingConfig } from '../../src-shared/schemas/routing';
import { routingConfigProblems } from '../../src-shared/schemas/routing-check';
import { withRouteVersions } from '../config/route-versions';
import { allAgents } from '../agents/agent-registry';
import type { ConfigDraft } from '../config/config-draft';
import type { RouterService } from '../routing/router-service';
import type { SettingsService } from '../settings/settings-service';
import type { HandlerMap } from './handler-types';

type RoutingChannel = Extract<keyof InvokeContract, `app:routing.${string}` | 'app:agents.list'>;

/** Cross-field checks zod cannot express per field (ids must be unique): the shared routing check. */
export function checkRoutingConfig(config: RoutingConfig): void {
  const [problem] = routingConfigProblems(config);
  if (problem) {
    throw new AppErrorException(
      appError('validation_failed', `${problem.message[0]!.toUpperCase()}${problem.message.slice(1)}`, { field: problem.path.join('.') }),
    );
  }
}

export function createRoutingHandlers(deps: {
  settings: SettingsService;
  router: RouterService;
  /** Unsaved edits: the Route preview shows their decisions. */
  draft?: Pick<ConfigDraft, 'dirty' | 'configuration'>;
}): HandlerMap<RoutingChannel> {
  return {
    'app:routing.update': {
      payload: routingConfigSchema,
      handle(config) {
        checkRoutingConfig(config);
        const routes = withRouteVersions(deps.settings.get().routing.routes, config.routes);
        return deps.settings.update((current) => ({ ...current, routing: { ...config, routes } })).routing;
      },
    },
    'app:routing.preview': {
      payload: routeRequestSchema,
      handle: (request) => deps.router.plan(request, deps.draft?.dirty() ? { configuration: deps.draft.configuration() } : {}),
    },
    'app:agents.list': { payload: z.undefined(), handle: () => allAgents(deps.settings.get()) },
  };
}
