// The tier JSON of a gateway's "Model Routing" page: {"standard": [{"provider", "model", "priority",
// "maxTokens"}], ...}. Providers are matched to connections by kind; where two connections share a kind
// the user picks one (`assignments`).
import { z } from 'zod';
import type { Connection, ProviderKind } from '../../src-shared/schemas/connection';
import { providerKinds } from '../../src-shared/schemas/connection';
import type { RoutingConfig, Tier } from '../../src-shared/schemas/routing';

const entrySchema = z
  .object({
    provider: z.string().trim().min(1, 'Name the provider, e.g. "anthropic"'),
    model: z.string().trim().min(1, 'Name the model'),
    priority: z.number().int().min(0).default(0),
    maxTokens: z.number().int().positive().nullish(),
  })
  .passthrough();

const tierIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const modelRoutingSchema = z
  .record(z.string(), z.array(entrySchema).max(100))
  .refine((value) => Object.keys(value).length > 0, 'No tiers');
export type ModelRoutingFile = z.infer<typeof modelRoutingSchema>;

/** Other names gateways use for our provider kinds. */
const aliases: Record<string, ProviderKind> = { google: 'gemini', claude: 'anthropic', azure: 'azure-openai', 'lm-studio': 'lmstudio' };

export function providerKindFor(provider: string): ProviderKind | null {
  const name = provider.trim().toLowerCase();
  if ((providerKinds as readonly string[]).includes(name)) return name as ProviderKind;
  return aliases[name] ?? null;
}

/** Looks like the Model Routing tier JSON rather than a Switchboard config file. */
export function isModelRoutingFile(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const values = Object.values(raw);
  return values.length > 0 && !('connections' in raw) && values.every((value) => Array.isArray(value));
}

export interface ProviderChoice {
  provider: string;
  connections: Array<{ id: string; name: string }>;
}

export type ModelRoutingResult =
  { status: 'ready'; routing: RoutingConfig } | { status: 'choose'; choices: ProviderChoice[] } | { status: 'refused'; problems: string[] };

/** The routing with the file's tiers put in: named tiers replaced, new ones added, the rest untouched. */
export function applyModelRouting(
  raw: unknown,
  routing: RoutingConfig,
  connections: readonly Connection[],
  assignments: Readonly<Record<string, string>> = {},
): ModelRoutingResult {
  const parsed = modelRoutingSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      status: 'refused',
      problems: parsed.error.issues.map(
        (issue) =>
          `${issue.path.map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index ? '.' : ''}${String(key)}`)).join('') || '(the file)'}: ${issue.message}`,
      ),
    };
  }
  const problems: string[] = [];
  const choices = new Map<string, ProviderChoice>();
  const resolved = new Map<string, string>();
  for (const [tierId, entries] of Object.entries(parsed.data)) {
    if (!tierIdPattern.test(tierId)) problems.push(`${tierId}: a tier name uses lowercase letters, digits, - and _.`);
    entries.forEach((entry, index) => {
      const field = `${tierId}[${index}].provider`;
      const kind = providerKindFor(entry.provider);
      if (kind === null) {
        problems.push(`${field}: "${entry.provider}" is not a provider Switchboard knows. Use one of ${providerKinds.join(', ')}.`);
        return;
      }
      const matching = connections.filter((connection) => connection.kind === kind);
      if (matching.length === 0) {
        problems.push(`${field}: you have no ${kind} connection. Add one in Settings -> Providers, then import again.`);
        return;
      }
      const assigned = assignments[entry.provider];
      if (assigned !== undefined && !matching.some((connection) => connection.id === assigned)) {
        problems.push(`${field}: the connection chosen for "${entry.provider}" is not a ${kind} connection.`);
        return;
      }
      if (matching.length === 1) resolved.set(entry.provider, matching[0]!.id);
      else if (assigned !== undefined) resolved.set(entry.provider, assigned);
      else choices.set(entry.provider, { provider: entry.provider, connections: matching.map(({ id, name }) => ({ id, name })) });
    });
  }
  if (problems.length > 0) return { status: 'refused', problems };
  if (choices.size > 0) return { status: 'choose', choices: [...choices.values()] };

  let rank = Math.max(-1, ...routing.tiers.map((tier) => tier.rank));
  const tiers: Tier[] = [...routing.tiers];
  for (const [tierId, entries] of Object.entries(parsed.data)) {
    const imported = [...entries]
      .sort((a, b) => a.priority - b.priority)
      .map((entry) => ({
        connectionId: resolved.get(entry.provider)!,
        model: entry.model,
        priority: entry.priority,
        maxInputTokens: null,
        maxOutputTokens: entry.maxTokens ?? null,
      }));
    const at = tiers.findIndex((tier) => tier.id === tierId);
    if (at >= 0) tiers[at] = { ...tiers[at]!, entries: imported };
    else {
      rank += 1;
      const name = tierId.charAt(0).toUpperCase() + tierId.slice(1).replace(/[-_]/g, ' ');
      tiers.push({ id: tierId, name, rank, preferredFor: null, entries: imported });
    }
  }
  return { status: 'ready', routing: { ...routing, tiers } };
}
