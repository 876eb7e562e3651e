// Draft, Save and Discard through the real services: settings file, SQLite history, routing, and the
// IPC handlers the window calls.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src-shared/schemas/agent';
import type { Notice } from '../../../src-shared/schemas/notice';
import type { RoutingConfig } from '../../../src-shared/schemas/routing';
import { createConfigDraft, type ConfigDraft } from '../../../src-main/config/config-draft';
import { createConfigService, type ConfigService } from '../../../src-main/config/config-service';
import { selectCandidates } from '../../../src-main/engine/select-candidates';
import { createConfigHandlers } from '../../../src-main/ipc/config-handlers';
import { createRoutingHandlers } from '../../../src-main/ipc/routing-handlers';
import type { PlanOptions } from '../../../src-main/routing/router-service';
import { createConfigHistoryRepository } from '../../../src-main/storage/config-history-repository';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { fixtureRequests, fixtureSettings } from '../../helpers/config-fixture';

interface Bed {
  core: CoreHarness;
  config: ConfigService;
  draft: ConfigDraft;
  file: string;
  notices: Notice[];
  handlers: ReturnType<typeof createConfigHandlers> & ReturnType<typeof createRoutingHandlers>;
  /** The options each Route preview was decided with. */
  planned: Array<PlanOptions | undefined>;
}

const running: Bed[] = [];

async function start(): Promise<Bed> {
  const core = await startCore();
  core.configure(() => fixtureSettings());
  const file = join(core.directory, 'config-draft.json');
  const notices: Notice[] = [];
  const draft = createConfigDraft({ settings: core.services.settings, now: Date.now, file, onNotice: (notice) => notices.push(notice) });
  const config = createConfigService({
    settings: core.services.settings,
    connections: core.services.connections,
    history: createConfigHistoryRepository(core.services.database),
    now: Date.now,
    unsavedDraft: () => draft.dirty(),
  });
  await config.start();
  await config.flush();
  const planned: Array<PlanOptions | undefined> = [];
  const router = core.services.router;
  const handlers = {
    ...createConfigHandlers({ config, draft, settings: core.services.settings, now: Date.now }),
    ...createRoutingHandlers({
      settings: core.services.settings,
      router: { ...router, plan: (request, options) => (planned.push(options), router.plan(request, options)) },
      draft,
    }),
  };
  const bed = { core, config, draft, file, notices, handlers, planned };
  running.push(bed);
  return bed;
}

afterEach(async () => {
  for (const { core, config, draft } of running.splice(0)) {
    draft.stop();
    config.stop();
    await core.stop();
  }
});

/** Decisions on a fixed health snapshot, optionally with the draft's routing and agents. */
async function decisions(bed: Bed, withDraft = false) {
  return Promise.all(
    fixtureRequests().map(async (request) =>
      selectCandidates({
        ...(await bed.core.services.router.input(request, withDraft ? { configuration: bed.draft.configuration() } : {})),
        health: {},
        now: 0,
      }),
    ),
  );
}

/** A handful of edits the way the editors send them: a rule deleted, a route reordered, an agent edited and one added. */
function editEverything(bed: Bed): void {
  const saved = bed.core.services.settings.get();
  const routing: RoutingConfig = {
    ...saved.routing,
    rules: saved.routing.rules.filter((rule) => rule.id !== 'r1'),
    routes: saved.routing.routes.map((route) => (route.id === 'resilient' ? { ...route, targets: [...route.targets].reverse() } : route)),
  };
  bed.draft.edit({ routing });
  bed.draft.edit({
    routing: { ...routing, tiers: routing.tiers.map((tier) => (tier.id === 'premium' ? { ...tier, name: 'Strongest' } : tier)) },
  });
  const builder: Agent = { ...bed.draft.view().agentList.find((agent) => agent.name === 'builder')!, latencyBudgetMs: 9_000 };
  const summarizer: Agent = { ...builder, name: 'summarizer', builtIn: false, description: 'Summaries' };
  bed.draft.edit({ agents: [...saved.agents, builder] });
  bed.draft.edit({ agents: [...saved.agents, builder, summarizer] });
}

describe('the routing draft', { timeout: 300_000 }, () => {
  it('Discard restores the saved state exactly: settings file, decisions and history', async () => {
    const bed = await start();
    const { settings } = bed.core.services;
    const fileBefore = readFileSync(settings.filePath, 'utf8');
    const savedBefore = structuredClone(settings.get());
    const decisionsBefore = await decisions(bed);
    const historyBefore = await bed.config.history();
    const viewBefore = bed.draft.view();
    expect(viewBefore).toMatchObject({ dirty: false, changes: [] });

    editEverything(bed);
    const dirty = await bed.handlers['app:config.draft'].handle(undefined);
    expect(dirty.dirty).toBe(true);
    expect(dirty.changes).toEqual(
      expect.arrayContaining([
        { kind: 'removed', subject: 'rule “Builder tasks” -> Claude', detail: '' },
        { kind: 'changed', subject: 'route resilient', detail: 'OpenAI gpt-4o moved below Claude claude-haiku-4-5' },
        { kind: 'added', subject: 'agent summarizer', detail: '' },
      ]),
    );
    // The Route preview decides with the draft, and the draft decides differently; nothing real moved.
    await bed.handlers['app:routing.preview'].handle({
      kind: 'task',
      agent: 'builder',
      needs: [],
      estimatedInputTokens: 100,
      localOnly: false,
    });
    expect(bed.planned).toEqual([{ configuration: bed.draft.configuration() }]);
    const drafted = await decisions(bed, true);
    expect(drafted).not.toEqual(decisionsBefore);
    const builderFirst = (plans: typeof drafted) => plans[8]?.candidates[0]?.connectionId;
    expect([builderFirst(decisionsBefore), builderFirst(drafted)]).toEqual(['claude', 'openai-main']);
    expect(await decisions(bed)).toEqual(decisionsBefore);
    expect(readFileSync(settings.filePath, 'utf8')).toBe(fileBefore);
    expect(existsSync(bed.file)).toBe(true);

    const discarded = await bed.handlers['app:config.discardDraft'].handle(undefined);
    await bed.handlers['app:routing.preview'].handle({
      kind: 'task',
      agent: 'builder',
      needs: [],
      estimatedInputTokens: 100,
      localOnly: false,
    });
    expect(bed.planned.at(-1)).toEqual({});
    expect(discarded).toEqual(viewBefore);
    expect(settings.get()).toEqual(savedBefore);
    expect(readFileSync(settings.filePath, 'utf8')).toBe(fileBefore);
    expect(await decisions(bed)).toEqual(decisionsBefore);
    expect(await decisions(bed, true)).toEqual(decisionsBefore);
    await bed.config.flush();
    expect(await bed.config.history()).toEqual(historyBefore);
    expect(existsSync(bed.file)).toBe(false);
  });

  it('Save applies many edits as exactly one new version, with the readable summary and the draft decisions', async () => {
    const bed = await start();
    const historyBefore = await bed.config.history();
    editEverything(bed);
    const previewed = await decisions(bed, true);
    await bed.config.flush();
    expect(await bed.config.history()).toHaveLength(historyBefore.length);

    const { version, view } = await bed.handlers['app:config.saveDraft'].handle(undefined);
    const history = await bed.config.history();
    expect(history).toHaveLength(historyBefore.length + 1);
    expect(history[0]).toEqual(version);
    expect(version).toMatchObject({ source: 'app' });
    expect(version?.changes).toEqual(
      expect.arrayContaining([
        { kind: 'removed', subject: 'rule “Builder tasks” -> Claude', detail: '' },
        { kind: 'changed', subject: 'tier premium', detail: 'name "Strong task" -> "Strongest"' },
        { kind: 'added', subject: 'agent summarizer', detail: '' },
      ]),
    );
    expect(view).toMatchObject({ dirty: false, changes: [] });
    expect(existsSync(bed.file)).toBe(false);
    // Four edits, one save: the route's number moved on once.
    expect(bed.core.services.settings.get().routing.routes.find((route) => route.id === 'resilient')?.version).toBe(4);
    const withoutVersions = (plans: unknown) => JSON.parse(JSON.stringify(plans).replace(/\(v\d+\)/g, '(v)'));
    expect(withoutVersions(await decisions(bed))).toEqual(withoutVersions(previewed));

    // Saving again with nothing to save adds nothing.
    expect(await bed.handlers['app:config.saveDraft'].handle(undefined)).toMatchObject({ version: null });
    await bed.config.flush();
    expect(await bed.config.history()).toHaveLength(historyBefore.length + 1);
  });

  it('an edit back to the saved configuration leaves no draft; an invalid edit is refused and changes nothing', async () => {
    const bed = await start();
    const saved = bed.core.services.settings.get();
    bed.draft.edit({ routing: { ...saved.routing, rules: saved.routing.rules.slice(1) } });
    expect(bed.draft.dirty()).toBe(true);
    bed.draft.edit({ routing: saved.routing });
    expect(bed.draft.dirty()).toBe(false);
    expect(existsSync(bed.file)).toBe(false);

    bed.draft.edit({ routing: { ...saved.routing, defaultSameProviderRetries: 3 } });
    const before = bed.draft.view();
    const duplicate = { ...saved.routing, rules: [...saved.routing.rules, saved.routing.rules[0]!] };
    expect(() => bed.draft.edit({ routing: duplicate })).toThrow('"r1" is used by two rules');
    expect(bed.draft.view()).toEqual(before);
  });

  it('survives a restart, and an unreadable kept draft is moved aside with a notice', async () => {
    const bed = await start();
    const saved = bed.core.services.settings.get();
    bed.draft.edit({ routing: { ...saved.routing, rules: saved.routing.rules.slice(2) } });
    const again = createConfigDraft({ settings: bed.core.services.settings, now: Date.now, file: bed.file });
    expect(again.view()).toEqual(bed.draft.view());
    again.stop();

    writeFileSync(bed.file, '{"formatVersion": 1, "routing": ');
    const notices: Notice[] = [];
    const unreadable = createConfigDraft({
      settings: bed.core.services.settings,
      now: Date.now,
      file: bed.file,
      onNotice: (notice) => notices.push(notice),
    });
    expect(unreadable.dirty()).toBe(false);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.detail).toContain('config-draft.unreadable-');
    expect(existsSync(bed.file)).toBe(false);
    unreadable.stop();
  });

  it('refuses an import or a rollback while there are unsaved edits, and the lint follows the draft', async () => {
    const bed = await start();
    const saved = bed.core.services.settings.get();
    const missing = (findings: Awaited<ReturnType<(typeof bed.handlers)['app:config.lint']['handle']>>) =>
      findings.filter((finding) => finding.code === 'missing-connection' && finding.target.id === 'offline');
    expect(missing(await bed.handlers['app:config.lint'].handle(undefined))).toEqual([]);
    bed.draft.edit({
      routing: {
        ...saved.routing,
        routes: saved.routing.routes.map((route) =>
          route.id === 'offline' ? { ...route, targets: [...route.targets, { connectionId: 'gone', model: 'x' }] } : route,
        ),
      },
    });
    expect(missing(bed.draft.view().findings)).toEqual([
      expect.objectContaining({ code: 'missing-connection', target: { kind: 'route', id: 'offline', entry: 1 } }),
    ]);
    expect(await bed.handlers['app:config.lint'].handle(undefined)).toEqual(bed.draft.view().findings);

    const text = bed.config.exportText();
    await expect(bed.config.previewImport({ fileName: 'team.json', text })).rejects.toThrow('unsaved changes');
    const [latest] = await bed.config.history(1);
    await expect(bed.config.previewRollback(latest!.id)).rejects.toThrow('Save or discard them first');
  });
});
