import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import { agentSchema, builtInAgents } from '../../src-shared/schemas/agent';
import { taskInputSchema } from '../../src-shared/schemas/stored-task';
import { clearEscalation } from '../engine/escalation';
import { allAgents } from '../agents/agent-registry';
import type { SettingsService } from '../settings/settings-service';
import type { TaskRunner } from '../tasks/task-runner';
import type { HandlerMap } from './handler-types';

type TaskChannel = Extract<
  keyof InvokeContract,
  `app:tasks.${string}` | 'app:agents.save' | 'app:agents.remove' | 'app:agents.clearEscalation'
>;

const idPayload = z.object({ id: z.string().min(1).max(100) }).strict();
const namePayload = z.object({ name: z.string().min(1).max(64) }).strict();
const taskCreateSchema = taskInputSchema
  .extend({
    instruction: z.string().trim().min(1, 'Write what the agent should do'),
  })
  .strict();

export function createTaskHandlers(deps: { tasks: TaskRunner; settings: SettingsService }): HandlerMap<TaskChannel> {
  const { tasks, settings } = deps;
  return {
    'app:tasks.list': { payload: z.undefined(), handle: () => tasks.list() },
    'app:tasks.get': { payload: idPayload, handle: ({ id }) => tasks.get(id) },
    'app:tasks.create': { payload: taskCreateSchema, handle: (input) => tasks.create(input) },
    'app:tasks.cancel': { payload: idPayload, handle: ({ id }) => tasks.cancel(id) },
    'app:tasks.retry': { payload: idPayload, handle: ({ id }) => tasks.retry(id) },
    'app:agents.save': {
      payload: agentSchema.strict(),
      handle(agent) {
        if (agent.outputSchema) {
          try {
            JSON.stringify(agent.outputSchema);
          } catch {
            throw new AppErrorException(appError('validation_failed', 'The output schema must be JSON.', { field: 'outputSchema' }));
          }
        }
        const isBuiltIn = builtInAgents.some((builtIn) => builtIn.name === agent.name);
        const saved = { ...agent, builtIn: isBuiltIn };
        const next = settings.update((current) => ({
          ...current,
          agents: [...current.agents.filter((existing) => existing.name !== agent.name), saved],
        }));
        return allAgents(next);
      },
    },
    'app:agents.remove': {
      payload: namePayload,
      handle: ({ name }) =>
        allAgents(
          settings.update((current) => ({
            ...current,
            agents: current.agents.filter((agent) => agent.name !== name),
            escalations: clearEscalation(current.escalations, name),
          })),
        ),
    },
    'app:agents.clearEscalation': {
      payload: namePayload,
      handle: ({ name }) => void settings.update((current) => ({ ...current, escalations: clearEscalation(current.escalations, name) })),
    },
  };
}
