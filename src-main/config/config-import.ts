// What an import (or a rollback, which is an import of an older version) would change, worked out in
// full before anything is applied. Refusals name the field and leave the configuration as it was.
import type { ConfigChange, ImportCheck, ImportRequest } from '../../src-shared/schemas/config-history';
import type { Connection } from '../../src-shared/schemas/connection';
import type { Settings } from '../../src-shared/schemas/settings';
import { HeadlessConfigError, settingsFromConfig } from './config-file';
import { providerProfile } from '../providers/registry';
import { diffConfig, type ConfigState } from './config-diff';
import { applyModelRouting, isModelRoutingFile } from './model-routing-import';
import { withRouteVersions } from './route-versions';

/** An import ready to apply: the next configuration and which keys must go. */
export interface ImportPlan {
  next: ConfigState;
  changes: ConfigChange[];
  /** Connection ids whose saved key is deleted: the configuration no longer has them. */
  dropKeys: string[];
}

/** The imported configuration set against the current one. */
export function planFromState(current: Settings, imported: ConfigState): ImportPlan {
  const next: ConfigState = {
    ...imported,
    routing: { ...imported.routing, routes: withRouteVersions(current.routing.routes, imported.routing.routes) },
  };
  const kept = new Set(next.connections.map((connection) => connection.id));
  const dropKeys = current.connections.filter((connection) => !kept.has(connection.id)).map((connection) => connection.id);
  const changes = diffConfig(current, next).map((change) =>
    change.kind === 'removed' && change.subject.startsWith('connection ') ? { ...change, detail: 'its saved key is deleted' } : change,
  );
  return { next, changes, dropKeys };
}

/**
 * Names of connections that will need a key: none saved, or one saved for another address or kind
 * (a key is only ever sent to the origin it was saved for).
 */
export async function connectionsNeedingKey(next: ConfigState, hasKey: (connection: Connection) => Promise<boolean>): Promise<string[]> {
  const names: string[] = [];
  for (const connection of next.connections) {
    if (providerProfile(connection.kind).keyRequired && !(await hasKey(connection).catch(() => false))) names.push(connection.name);
  }
  return names;
}

export type ImportOutcome = { status: 'ready'; plan: ImportPlan } | Exclude<ImportCheck, { status: 'ready' }>;

/** Reads the file as a Switchboard configuration, or as Model Routing tier JSON. */
export function planImport(current: Settings, request: ImportRequest): ImportOutcome {
  const refused = (problems: string[]): ImportOutcome => ({ status: 'refused', refusal: { fileName: request.fileName, problems } });
  let raw: unknown;
  try {
    raw = JSON.parse(request.text);
  } catch (error) {
    return refused([`the file is not valid JSON (${(error as Error).message}). Export it again from Switchboard, or fix the syntax.`]);
  }
  if (isModelRoutingFile(raw)) {
    const result = applyModelRouting(raw, current.routing, current.connections, request.assignments);
    if (result.status === 'refused') return refused(result.problems);
    if (result.status === 'choose') return { status: 'choose', fileName: request.fileName, choices: result.choices };
    return { status: 'ready', plan: planFromState(current, { ...current, routing: result.routing }) };
  }
  try {
    const { settings } = settingsFromConfig(raw, request.fileName);
    return { status: 'ready', plan: planFromState(current, settings) };
  } catch (error) {
    if (error instanceof HeadlessConfigError) return refused(error.problems);
    throw error;
  }
}
