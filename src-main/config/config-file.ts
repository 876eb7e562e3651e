import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { builtInAgents } from '../../src-shared/schemas/agent';
import {
  claimedFormatVersion,
  CONFIG_FORMAT_VERSION,
  configFileJsonSchema,
  configFileSchema,
  configRoutingSchema,
  type ConfigConnection,
  type ConfigFile,
} from '../../src-shared/schemas/config-file';
import type { Connection, ModelFacts } from '../../src-shared/schemas/connection';
import { settingsSchema, SETTINGS_VERSION, type Settings } from '../../src-shared/schemas/settings';
import { routingConfigProblems } from '../../src-shared/schemas/routing-check';
import { factsFor } from '../providers/catalog';
import { providerProfile } from '../providers/registry';

/** The headless gateway's config file is the one configuration file format. */
export const headlessConfigSchema = configFileSchema;
export type HeadlessConfig = ConfigFile;

/** The JSON Schema of the config file, for editors and `--print-config-schema`. */
export const headlessConfigJsonSchema = configFileJsonSchema;

/** A config file that cannot be used, with one line per problem naming the field. */
export class HeadlessConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source} cannot be used:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nRun with --print-config-schema to see every field the file may have.`,
    );
    this.name = 'HeadlessConfigError';
  }
}

/** `connections[0].baseUrl`: the path as it would be written in JavaScript. */
function fieldPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const key of path) result += typeof key === 'number' ? `[${key}]` : `${result ? '.' : ''}${String(key)}`;
  return result || '(the file)';
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const field = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}. Check the spelling, or remove it.`;
  }
  if (issue.path.length > 0 && valueAt(raw, issue.path) === undefined) {
    const choices = issue.code === 'invalid_value' ? `: one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}` : '';
    return `${field}: missing. Add it${choices}.`;
  }
  return `${field}: ${issue.message}`;
}

/** One line per field: a second complaint about the same field only repeats the first. */
function describeIssues(issues: readonly z.core.$ZodIssue[], raw: unknown): string[] {
  const seen = new Set<string>();
  return issues
    .filter((issue) => !seen.has(fieldPath(issue.path)) && seen.add(fieldPath(issue.path)))
    .map((issue) => describeIssue(issue, raw));
}

function modelFacts(connection: ConfigConnection, defaultModel: string): ModelFacts[] {
  const facts = new Map<string, ModelFacts>();
  for (const entry of [defaultModel, ...connection.models]) {
    const item = typeof entry === 'string' ? factsFor(connection.kind, entry) : entry;
    if (typeof entry !== 'string' || !facts.has(item.id)) facts.set(item.id, item);
  }
  return [...facts.values()];
}

/** Checks what zod cannot see alone: references between connections, routing and agents. */
function crossCheck(config: HeadlessConfig, problems: string[]): void {
  const ids = config.connections.map((connection) => connection.id);
  const known = new Set(ids);
  const choices = ids.map((id) => `"${id}"`).join(', ');
  const reference = (field: string, id: string) => {
    if (!known.has(id)) problems.push(`${field}: there is no connection "${id}" in this file. Use one of ${choices}.`);
  };
  ids.forEach((id, index) => {
    if (ids.indexOf(id) !== index) problems.push(`connections[${index}].id: "${id}" is used twice. Give every connection its own id.`);
  });
  config.connections.forEach((connection, index) => {
    if (connection.kind === 'azure-openai' && !connection.azure) {
      problems.push(
        `connections[${index}].azure: Azure needs {"apiVersion": "2024-10-21", "deployments": [{"alias": "gpt-4o", "deployment": "<your deployment>"}]}.`,
      );
    }
    if (connection.defaultModel === undefined && providerProfile(connection.kind).defaultModel === null) {
      problems.push(`connections[${index}].defaultModel: missing. Name the model this ${connection.kind} server runs.`);
    }
  });
  if (config.primaryConnectionId) reference('primaryConnectionId', config.primaryConnectionId);
  if (!config.routing) return;
  const agentNames = [...new Set([...builtInAgents.map((agent) => agent.name), ...config.agents.map((agent) => agent.name)])];
  for (const problem of routingConfigProblems(config.routing, { connectionIds: ids, agentNames })) {
    problems.push(`${fieldPath(['routing', ...problem.path])}: ${problem.message}`);
  }
}

/** What the gateway runs with: full app settings built from the file. */
export interface LoadedConfig {
  settings: Settings;
  allowedOrigins: string[];
}

/** Validates a parsed config file and builds the settings; throws HeadlessConfigError naming each problem. */
export function settingsFromConfig(raw: unknown, source = 'The config'): LoadedConfig {
  const claimed = claimedFormatVersion(raw);
  if (typeof claimed === 'number' && claimed > CONFIG_FORMAT_VERSION) {
    throw new HeadlessConfigError(source, [
      `formatVersion: this file is format ${claimed}, and this Switchboard reads format ${CONFIG_FORMAT_VERSION} and older. Update Switchboard, or export the file again from the version that wrote it.`,
    ]);
  }
  const parsed = headlessConfigSchema.safeParse(raw);
  if (!parsed.success) throw new HeadlessConfigError(source, describeIssues(parsed.error.issues, raw));
  const config = parsed.data;
  const problems: string[] = [];
  crossCheck(config, problems);
  if (problems.length > 0) throw new HeadlessConfigError(source, problems);

  const connections: Connection[] = config.connections.map((connection) => {
    const profile = providerProfile(connection.kind);
    const defaultModel = connection.defaultModel ?? profile.defaultModel ?? '';
    return {
      ...connection,
      name: connection.name ?? connection.id,
      baseUrl: (connection.baseUrl ?? profile.defaultBaseUrl).replace(/\/+$/, ''),
      defaultModel,
      models: modelFacts(connection, defaultModel),
      createdAt: connection.createdAt ?? new Date(0).toISOString(),
    };
  });
  const routing = config.routing ?? configRoutingSchema.parse({});
  const settings = settingsSchema.safeParse({
    version: SETTINGS_VERSION,
    connections,
    primaryConnectionId: config.primaryConnectionId ?? connections[0]?.id ?? null,
    routing: { ...routing, rules: routing.rules.map((rule, index) => ({ ...rule, id: rule.id ?? `rule-${index + 1}` })) },
    agents: config.agents,
  });
  if (!settings.success) throw new HeadlessConfigError(source, describeIssues(settings.error.issues, raw));
  return { settings: settings.data, allowedOrigins: config.gateway?.allowedOrigins ?? [] };
}

/** Reads and validates the config file at `path`. */
export function loadConfigFile(path: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new HeadlessConfigError(path, [
      missing
        ? 'the file does not exist. Check the path, or create it (the README has an example).'
        : `the file cannot be read: ${(error as Error).message}`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new HeadlessConfigError(path, [
      `the file is not valid JSON (${(error as Error).message}). Fix the syntax; comments and trailing commas are not allowed.`,
    ]);
  }
  return settingsFromConfig(raw, path);
}
