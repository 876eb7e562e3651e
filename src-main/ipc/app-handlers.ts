import { z } from 'zod';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import { externalLinkProblem } from '../../src-shared/schemas/external-link';
import { settingsPatchSchema } from '../../src-shared/schemas/settings';
import type { AppInfo } from '../../src-shared/contract/ipc-contract';
import type { SettingsService } from '../settings/settings-service';
import type { NoticeCenter } from '../notices/notice-center';
import type { HandlerMap } from './handler-types';

export interface AppHandlerDependencies {
  info: AppInfo;
  settings: SettingsService;
  notices: NoticeCenter;
  openExternal(url: string): Promise<void>;
}

const noPayload = z.undefined();

export function createAppHandlers(
  deps: AppHandlerDependencies,
): HandlerMap<
  'app:app.getInfo' | 'app:app.openExternal' | 'app:notices.list' | 'app:notices.dismiss' | 'app:settings.get' | 'app:settings.update'
> {
  return {
    'app:app.getInfo': { payload: noPayload, handle: () => deps.info },
    'app:app.openExternal': {
      payload: z.object({ url: z.string().max(2048) }).strict(),
      async handle({ url }) {
        const problem = externalLinkProblem(url);
        if (problem)
          throw new AppErrorException(appError('validation_failed', `This link cannot be opened: ${problem}.`, { field: 'url' }));
        await deps.openExternal(url);
      },
    },
    'app:notices.list': { payload: noPayload, handle: () => deps.notices.list() },
    'app:notices.dismiss': {
      payload: z.object({ id: z.string().min(1).max(200) }).strict(),
      handle: ({ id }) => deps.notices.dismiss(id),
    },
    'app:settings.get': { payload: noPayload, handle: () => deps.settings.get() },
    'app:settings.update': {
      payload: settingsPatchSchema,
      handle: (patch) =>
        deps.settings.update((current) => ({
          ...current,
          chat: { ...current.chat, ...patch.chat },
          tasks: { ...current.tasks, ...patch.tasks },
          appearance: { ...current.appearance, ...patch.appearance },
          localModels: { ...current.localModels, ...patch.localModels },
          callLog: { ...current.callLog, ...patch.callLog },
        })),
    },
  };
}
