import { z } from 'zod';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { configDraftEditSchema } from '../../src-shared/schemas/config-draft';
import { importRequestSchema } from '../../src-shared/schemas/config-history';
import { lintConfig } from '../config/config-lint';
import type { ConfigDraft } from '../config/config-draft';
import type { ConfigService } from '../config/config-service';
import type { SettingsService } from '../settings/settings-service';
import type { HandlerMap } from './handler-types';

type ConfigChannel = Extract<keyof InvokeContract, `app:config.${string}`>;

const versionId = z.object({ id: z.number().int().positive() }).strict();

export function createConfigHandlers(deps: {
  config: ConfigService;
  draft: ConfigDraft;
  settings: SettingsService;
  now(): number;
}): HandlerMap<ConfigChannel> {
  const { draft } = deps;
  return {
    'app:config.export': {
      payload: z.undefined(),
      handle: () => ({
        fileName: `switchboard-config-${new Date(deps.now()).toISOString().slice(0, 10)}.json`,
        text: deps.config.exportText(),
      }),
    },
    'app:config.exportLitellm': {
      payload: z.undefined(),
      handle: () => ({ fileName: 'config.yaml', text: deps.config.exportLitellmText() }),
    },
    'app:config.previewImport': { payload: importRequestSchema, handle: (request) => deps.config.previewImport(request) },
    'app:config.previewRollback': { payload: versionId, handle: ({ id }) => deps.config.previewRollback(id) },
    'app:config.apply': {
      payload: z.object({ token: z.string().min(1).max(100) }).strict(),
      handle: ({ token }) => deps.config.apply(token),
    },
    'app:config.history': { payload: z.undefined(), handle: () => deps.config.history() },
    'app:config.lint': { payload: z.undefined(), handle: () => lintConfig({ ...deps.settings.get(), ...draft.configuration() }) },
    'app:config.version': { payload: versionId, handle: ({ id }) => deps.config.version(id) },
    'app:config.draft': { payload: z.undefined(), handle: () => draft.view() },
    'app:config.editDraft': { payload: configDraftEditSchema, handle: (edit) => draft.edit(edit) },
    'app:config.saveDraft': {
      payload: z.undefined(),
      async handle() {
        if (!draft.save()) return { version: null, view: draft.view() };
        // The settings change was recorded as one version; answer with it once it is written.
        await deps.config.flush();
        const [version] = await deps.config.history(1);
        return { version: version ?? null, view: draft.view() };
      },
    },
    'app:config.discardDraft': { payload: z.undefined(), handle: () => draft.discard() },
  };
}
