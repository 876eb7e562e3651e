// Export, import, history and rollback through the real services: settings file, SQLite, routing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_FORMAT_VERSION } from '../../../src-shared/schemas/config-file';
import type { ImportCheck } from '../../../src-shared/schemas/config-history';
import { createConfigService, type ConfigService } from '../../../src-main/config/config-service';
import { selectCandidates } from '../../../src-main/engine/select-candidates';
import { createRoutingHandlers } from '../../../src-main/ipc/routing-handlers';
import { startHeadlessGateway } from '../../../src-main/gateway/headless-gateway';
import { createConfigHistoryRepository } from '../../../src-main/storage/config-history-repository';
import { startCore, type CoreHarness } from '../../helpers/core-harness';
import { fixtureRequests, fixtureSettings } from '../../helpers/config-fixture';

/** A parsed configuration file, loose enough to be spoiled on purpose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the point is to write what the schema forbids
type FileJson = Record<string, any>;

const running: Array<{ core: CoreHarness; config: ConfigService }> = [];

async function start(configure = true) {
  const core = await startCore();
  if (configure) core.configure(() => fixtureSettings());
  const config = createConfigService({
    settings: core.services.settings,
    connections: core.services.connections,
    history: createConfigHistoryRepository(core.services.database),
    now: Date.now,
  });
  await config.start();
  running.push({ core, config });
  return { core, config };
}

afterEach(async () => {
  for (const { core, config } of running.splice(0)) {
    config.stop();
    await core.stop();
  }
});

/** The routing decisions for the table, on a fixed health snapshot: probes of keyless fixtures must not blur them. */
async function decisions(core: { services: Pick<CoreHarness['services'], 'router'> }) {
  return Promise.all(
    fixtureRequests().map(async (request) => selectCandidates({ ...(await core.services.router.input(request)), health: {}, now: 0 })),
  );
}

function ready(check: ImportCheck) {
  if (check.status !== 'ready') throw new Error(`expected a preview, got ${JSON.stringify(check)}`);
  return check.preview;
}

// Each test starts the whole core (SQLite worker, settings file) once or twice: slow on a busy machine.
describe('configuration export and import', { timeout: 300_000 }, () => {
  it('export -> wipe -> import gives identical routing decisions on 50 requests', async () => {
    const before = await start();
    const expected = await decisions(before.core);
    expect(expected).toHaveLength(50);
    // The table is worth something only if the requests are decided differently from one another.
    expect(
      new Set(expected.map((plan) => JSON.stringify(plan.candidates.map((candidate) => candidate.connectionId)))).size,
    ).toBeGreaterThan(5);
    const text = before.config.exportText();
    expect(JSON.parse(text)).toMatchObject({ formatVersion: CONFIG_FORMAT_VERSION });

    const fresh = await start(false);
    const preview = ready(await fresh.config.previewImport({ fileName: 'switchboard.json', text }));
    expect(preview.changes.filter((change) => change.kind === 'added').map((change) => change.subject)).toEqual(
      expect.arrayContaining([
        'connection OpenAI',
        'connection Claude',
        'rule “Builder tasks” -> Claude',
        'route resilient',
        'agent private',
      ]),
    );
    expect(preview.needKeys).toEqual(['OpenAI', 'Claude', 'DeepSeek']);
    // Nothing is applied by previewing.
    expect(fresh.core.services.settings.get().connections).toEqual([]);

    const version = await fresh.config.apply(preview.token);
    expect(version.source).toBe('import');
    expect(await decisions(fresh.core)).toEqual(expected);
    expect(fresh.config.exportText()).toBe(text);
  });

  it("the app's export runs in the headless gateway unchanged and decides the same", async () => {
    const { core, config } = await start();
    const file = join(core.directory, 'exported.json');
    writeFileSync(file, config.exportText());
    const gateway = await startHeadlessGateway({
      config: file,
      port: 0,
      token: 'test-token-long-enough-for-the-gateway',
      dataDirectory: join(core.directory, 'gateway'),
      providerKeys: { read: async () => ({ status: 'none' }), write: async () => undefined, remove: async () => undefined },
      warn: () => undefined,
    });
    try {
      expect(await decisions(gateway)).toEqual(await decisions(core));
      const models = await fetch(`${gateway.url}/v1/models`, {
        headers: { authorization: 'Bearer test-token-long-enough-for-the-gateway' },
      });
      const ids = ((await models.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id);
      expect(ids).toEqual(expect.arrayContaining(['route/resilient', 'tier/vision', 'agent/private']));
    } finally {
      await gateway.close();
    }
  });

  it.each([
    ['a wrong type', (file: FileJson) => (file.routing.routes[0].sameProviderRetries = 'two'), 'routing.routes[0].sameProviderRetries'],
    [
      'an unknown reference',
      (file: FileJson) => (file.routing.rules[0].connectionId = 'claude-old'),
      'routing.rules[0].connectionId: there is no connection "claude-old"',
    ],
    [
      'a newer format version',
      (file: FileJson) => (file.formatVersion = CONFIG_FORMAT_VERSION + 1),
      'formatVersion: this file is format 2',
    ],
    ['an unknown field', (file: FileJson) => (file.connections[0].apiKey = 'sk-123'), 'connections[0]: unknown field "apiKey"'],
    ['not JSON', () => 'oops', 'not valid JSON'],
  ])('refuses %s, names the field and changes nothing', async (_name, spoil, message) => {
    const { core, config } = await start();
    const file = JSON.parse(config.exportText()) as FileJson;
    const spoiled = spoil(file);
    const text = spoiled === 'oops' ? '{"connections": [' : JSON.stringify(file);
    const before = core.services.settings.get();
    const historyBefore = await config.history();
    const check = await config.previewImport({ fileName: 'bad.json', text });
    expect(check.status).toBe('refused');
    if (check.status === 'refused') expect(check.refusal.problems.join('\n')).toContain(message);
    expect(core.services.settings.get()).toEqual(before);
    await config.flush();
    expect(await config.history()).toEqual(historyBefore);
  });

  it('does not apply a preview made before the configuration changed', async () => {
    const { core, config } = await start();
    const text = config.exportText();
    const edited = JSON.parse(text) as FileJson;
    edited.routing.rules.pop();
    const preview = ready(await config.previewImport({ fileName: 'x.json', text: JSON.stringify(edited) }));
    core.configure((settings) => ({ ...settings, primaryConnectionId: 'claude' }));
    await expect(config.apply(preview.token)).rejects.toThrow(/changed since this preview/);
    expect(core.services.settings.get().routing.rules).toHaveLength(5);
  });

  it('asks for a key again where the file points a connection at another host, and deletes the key of a removed one', async () => {
    const { core, config } = await start();
    const connections = core.services.connections;
    await connections.update({ id: 'openai-main', apiKey: 'sk-saved-openai-1234' });
    await connections.update({ id: 'claude', apiKey: 'sk-ant-saved-5678' });
    const file = JSON.parse(config.exportText()) as FileJson;
    file.connections[0].baseUrl = 'https://openai.example.net/v1';
    file.connections = file.connections.filter((connection: FileJson) => connection.id !== 'claude');
    const elsewhere = (item: FileJson) => item.connectionId !== 'claude';
    file.routing.rules = file.routing.rules.filter(elsewhere);
    for (const tier of file.routing.tiers) tier.entries = tier.entries.filter(elsewhere);
    for (const route of file.routing.routes) route.targets = route.targets.filter(elsewhere);
    file.routing.routes = file.routing.routes.filter((route: FileJson) => route.targets.length > 0);

    const preview = ready(await config.previewImport({ fileName: 'moved.json', text: JSON.stringify(file) }));
    expect(preview.needKeys).toContain('OpenAI');
    expect(preview.changes).toContainEqual(
      expect.objectContaining({ subject: 'connection OpenAI', detail: expect.stringContaining('base URL') }),
    );
    expect(preview.changes).toContainEqual({ kind: 'removed', subject: 'connection Claude', detail: 'its saved key is deleted' });
    const claude = core.services.settings.get().connections.find((connection) => connection.id === 'claude')!;
    expect(await connections.hasKey(claude)).toBe(true);

    await config.apply(preview.token);
    expect(await connections.hasKey(claude)).toBe(false);
    expect(await connections.hasKey(core.services.settings.get().connections[0]!)).toBe(false);
  });
});

describe('configuration history', { timeout: 300_000 }, () => {
  it('keeps every applied version with a readable summary, and rollback restores the decisions exactly', async () => {
    const { core, config } = await start();
    const original = await decisions(core);
    await config.flush();
    const [first] = await config.history();
    expect(first?.note).toBe('The configuration when history began');

    // The edit goes in the way the routing editors send it.
    const routing = core.services.settings.get().routing;
    createRoutingHandlers({ settings: core.services.settings, router: core.services.router })['app:routing.update'].handle({
      ...routing,
      rules: routing.rules.filter((rule) => rule.id !== 'r1'),
      routes: routing.routes.map((route) => (route.id === 'resilient' ? { ...route, targets: [...route.targets].reverse() } : route)),
    });
    await config.flush();
    const [edit] = await config.history();
    expect(edit?.source).toBe('app');
    expect(edit?.changes).toEqual(
      expect.arrayContaining([
        { kind: 'removed', subject: 'rule “Builder tasks” -> Claude', detail: '' },
        { kind: 'changed', subject: 'route resilient', detail: 'OpenAI gpt-4o moved below Claude claude-haiku-4-5' },
      ]),
    );
    expect(await decisions(core)).not.toEqual(original);

    const compared = await config.version(first!.id);
    expect(compared.sinceThen.length).toBeGreaterThan(0);
    const preview = ready(await config.previewRollback(first!.id));
    const rolledBack = await config.apply(preview.token);
    expect(rolledBack).toMatchObject({ source: 'rollback', note: `Rolled back to version ${first!.id}` });
    // Identical decisions; only the route's version in the explanation moved on.
    const withoutVersions = (plans: unknown) => JSON.parse(JSON.stringify(plans).replace(/\(v\d+\)/g, '(v)'));
    expect(withoutVersions(await decisions(core))).toEqual(withoutVersions(original));
    // The route changed twice since version 1, so its number went on counting instead of going back.
    expect(core.services.settings.get().routing.routes.find((route) => route.id === 'resilient')?.version).toBe(5);
    expect((await config.history()).map((version) => version.source)).toEqual(['rollback', 'app', 'app']);
  });
});
