import { z } from 'zod';
import { agentSchema } from './agent';
import { claudeSelectionSettingsSchema } from './claude-selection';
import { connectionSchema } from './connection';
import { escalationMemorySchema } from './escalation-memory';
import { defaultTiers, routingConfigSchema } from './routing';

export const SETTINGS_VERSION = 2;

export const themeSchema = z.enum(['system', 'light', 'dark']);

export const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof windowStateSchema>;

export const chatSettingsSchema = z.object({
  /** Opt-in: when Primary fails, answer from the next healthy backend and say so. */
  autoFallback: z.boolean().default(false),
  /** Haiku / Sonnet / Opus choice when Primary is Anthropic. */
  claude: claudeSelectionSettingsSchema.default(claudeSelectionSettingsSchema.parse({})),
  /** The user said "Not now" to the first-run offer of the local Ollama: it is not offered again. */
  ollamaOfferDeclined: z.boolean().default(false),
});

export const tasksSettingsSchema = z.object({
  /**
   * Opt-in (DESIGN.md point 4): tasks and routed gateway calls whose own candidates are all
   * failing go to any healthy connection that can do the job instead of waiting for them.
   */
  anyHealthyFallback: z.boolean().default(false),
});

/** A client of the gateway (an editor, a script) known by the name of its token; the token is in the keychain. */
export const gatewayClientSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  createdAt: z.number(),
  /** When its token was last accepted, written at most hourly (the exact time lives in memory). */
  lastUsedAt: z.number().optional(),
});
export type GatewayClient = z.infer<typeof gatewayClientSchema>;

export const gatewaySettingsSchema = z.object({
  enabled: z.boolean().default(false),
  port: z.number().int().min(1024, 'Use a port from 1024 to 65535').max(65535, 'Use a port from 1024 to 65535').default(4141),
  /** Browser origins allowed to call the gateway (CORS); none by default. */
  allowedOrigins: z.array(z.string().url('An origin looks like http://localhost:3000')).default([]),
  /** The clients with a live token, oldest first. Never the tokens themselves. */
  clients: z.array(gatewayClientSchema).default([]),
});
export type GatewaySettings = z.infer<typeof gatewaySettingsSchema>;

/** Ollama's keep_alive: a duration such as "10m", "1h", "0" (unload at once) or "-1" (keep loaded). */
export const keepAliveSchema = z
  .string()
  .trim()
  .regex(/^(-1|0|\d+(\.\d+)?(ms|s|m|h))$/, 'Use a duration such as 30s, 10m or 1h; 0 unloads at once, -1 keeps the model loaded');

/** The local-model settings without defaults: a patch must not fill in the fields it leaves out. */
const localModelFields = {
  /** The largest context a local model is run with (num_ctx); the model's own length caps it further. */
  contextTokens: z.number().int().min(512, 'Use at least 512 tokens').max(1_048_576, 'Use at most 1048576 tokens'),
  /** How long a local model stays loaded after a call. */
  keepAlive: keepAliveSchema,
  /** Load the Primary's local model when the app starts, so the first chat does not wait for it. */
  warmPrimary: z.boolean(),
};

export const localModelSettingsSchema = z.object({
  contextTokens: localModelFields.contextTokens.default(8192),
  keepAlive: localModelFields.keepAlive.default('10m'),
  warmPrimary: localModelFields.warmPrimary.default(true),
});
export type LocalModelSettings = z.infer<typeof localModelSettingsSchema>;

/** The call log settings without defaults: a patch must not fill in the fields it leaves out. */
const callLogFields = {
  /** Keep each call's prompt and answer (redacted, capped) in the log, or only its figures. */
  storeTexts: z.boolean(),
  /** Calls older than this many days are removed. */
  retentionDays: z
    .number()
    .int('Use a whole number of days')
    .min(1, 'Keep calls for at least 1 day')
    .max(3650, 'Keep calls for at most 3650 days'),
  /** The stored prompts and answers are kept under this many megabytes, oldest calls removed first. */
  maxTextMegabytes: z.number().int('Use a whole number of megabytes').min(1, 'Allow at least 1 MB').max(10_240, 'Allow at most 10240 MB'),
};

export const callLogSettingsSchema = z.object({
  storeTexts: callLogFields.storeTexts.default(true),
  retentionDays: callLogFields.retentionDays.default(90),
  maxTextMegabytes: callLogFields.maxTextMegabytes.default(256),
});
export type CallLogSettings = z.infer<typeof callLogSettingsSchema>;

/** Everything Switchboard persists in settings.json. Never contains an API key. */
export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  connections: z.array(connectionSchema).default([]),
  primaryConnectionId: z.string().nullable().default(null),
  routing: routingConfigSchema.default({
    rules: [],
    tiers: defaultTiers,
    routes: [],
    defaultSameProviderRetries: 1,
  }),
  /** User-defined agents and edits to the built-in ones. */
  agents: z.array(agentSchema).default([]),
  chat: chatSettingsSchema.default(chatSettingsSchema.parse({})),
  tasks: tasksSettingsSchema.default(tasksSettingsSchema.parse({})),
  appearance: z.object({ theme: themeSchema.default('system') }).default({ theme: 'system' }),
  window: windowStateSchema.nullable().default(null),
  gateway: gatewaySettingsSchema.default({ enabled: false, port: 4141, allowedOrigins: [], clients: [] }),
  /** Agents that needed a stronger backend recently start there (auto-escalation memory). */
  escalations: escalationMemorySchema.default({}),
  localModels: localModelSettingsSchema.default(localModelSettingsSchema.parse({})),
  callLog: callLogSettingsSchema.default(callLogSettingsSchema.parse({})),
});
export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return settingsSchema.parse({ version: SETTINGS_VERSION });
}

/** The part of the settings the renderer may change directly through app:settings.update. */
export const settingsPatchSchema = z
  .object({
    chat: z
      .object({ autoFallback: z.boolean(), claude: claudeSelectionSettingsSchema, ollamaOfferDeclined: z.boolean() })
      .partial()
      .strict(),
    tasks: tasksSettingsSchema.partial().strict(),
    appearance: z.object({ theme: themeSchema }).partial(),
    localModels: z.object(localModelFields).partial().strict(),
    callLog: z.object(callLogFields).partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
