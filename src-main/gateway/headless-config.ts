import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { agentSchema, builtInAgents } from '../../src-shared/schemas/agent';
import { connectionSchema, modelFactsSchema, type Connection, type ModelFacts } from '../../src-shared/schemas/connection';
import { defaultTiers, routeSchema, routingConfigSchema, routingRuleSchema, tierSchema } from '../../src-shared/schemas/routing';
import { gatewaySettingsSchema, settingsSchema, SETTINGS_VERSION, type Settings } from '../../src-shared/schemas/settings';
import { routingConfigProblems } from '../../src-shared/schemas/routing-check';
import { factsFor } from '../providers/catalog';
import { providerProfile } from '../providers/registry';

// The config file is written by hand, so what the app fills in by itself (ids of rules, creation
// dates, base URLs and models per provider kind) may be left out, and unknown keys are typos.
const configConnectionSchema = connectionSchema
  .extend({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Use lowercase letters, digits and -, e.g. "openai-main"'),
    name: connectionSchema.shape.name.optional(),
    baseUrl: connectionSchema.shape.baseUrl.optional(),
    defaultModel: connectionSchema.shape.defaultModel.optional(),
    /** Model ids (facts come from the built-in catalog) or full model facts. */
    models: z.array(z.union([z.string().trim().min(1), modelFactsSchema])).default([]),
    createdAt: z.string().optional(),
  })
  .strict();

const configRoutingSchema = routingConfigSchema
  .extend({
    rules: z.array(routingRuleSchema.extend({ id: z.string().min(1).optional() }).strict()).default([]),
    tiers: z.array(tierSchema.strict()).default(defaultTiers),
    routes: z.array(routeSchema.strict()).default([]),
  })
  .strict();

/** The headless gateway's config file: the routing part of the app's settings. Never holds a key. */
export const headlessConfigSchema = z
  .object({
    $schema: z.string().optional(),
    connections: z.array(configConnectionSchema).min(1, 'Add at least one connection'),
    /** Defaults to the first connection. */
    primaryConnectionId: z.string().nullish(),
    routing: configRoutingSchema.optional(),
    agents: z.array(agentSchema.strict()).default([]),
    gateway: z.object({ allowedOrigins: gatewaySettingsSchema.shape.allowedOrigins }).strict().optional(),
  })
  .strict();
export type HeadlessConfig = z.infer<typeof headlessConfigSchema>;

/** The JSON Schema of the config file, for editors and `--print-config-schema`. */
export function headlessConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(headlessConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

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

function modelFacts(connection: z.infer<typeof configConnectionSchema>, defaultModel: string): ModelFacts[] {
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
