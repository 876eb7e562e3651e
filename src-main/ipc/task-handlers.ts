import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { taskInputSchema } from '../../src-shared/schemas/stored-task';
import { clearEscalation } from '../engine/escalation';
import type { SettingsService } from '../settings/settings-service';
import type { TaskRunner } from '../tasks/task-runner';
import type { HandlerMap } from './handler-types';

type TaskChannel = Extract<keyof InvokeContract, `app:tasks.${string}` | 'app:agents.clearEscalation'>;

const idPayload = z.object({ id: z.string().min(1).max(100) }).strict();
const namePayload = z.object({ name: z.string().min(1).max(64) }).strict();
const taskCreateSchema = taskInputSchema
  .extend({
    instruction: z.string().trim().min(1, 'Write what the agent should do'),
  })
  .strict();

export function createTaskHandlers(deps: {
  tasks: TaskRunner;
  settings: SettingsService;
  /** The renderer says whether Tasks is on screen (for OS notifications). */
  onTasksPage?(open: boolean): void;
}): HandlerMap<TaskChannel> {
  const { tasks, settings } = deps;
  return {
    'app:tasks.list': { payload: z.undefined(), handle: () => tasks.list() },
    'app:tasks.get': { payload: idPayload, handle: ({ id }) => tasks.get(id) },
    'app:tasks.create': { payload: taskCreateSchema, handle: (input) => tasks.create(input) },
    'app:tasks.cancel': { payload: idPayload, handle: ({ id }) => tasks.cancel(id) },
    'app:tasks.retry': { payload: idPayload, handle: ({ id }) => tasks.retry(id) },
    'app:tasks.watching': {
      payload: z.object({ onTasksPage: z.boolean() }).strict(),
      handle: ({ onTasksPage }) => deps.onTasksPage?.(onTasksPage),
    },
    'app:agents.clearEscalation': {
      payload: namePayload,
      handle: ({ name }) => void settings.update((current) => ({ ...current, escalations: clearEscalation(current.escalations, name) })),
    },
  };
}
