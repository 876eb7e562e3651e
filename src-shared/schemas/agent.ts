import { z } from 'zod';
import { capabilitySchema } from './connection';
import { visibleText } from './visible-text';

export const agentSchema = z.object({
  name: visibleText(z.string(), 'agent name').regex(/^[a-z0-9_][a-z0-9_-]{0,63}$/, 'Use lowercase letters, digits, - and _'),
  description: z.string().max(500).default(''),
  systemPrompt: z.string().max(20_000).default(''),
  requiredCapabilities: z.array(capabilitySchema).default([]),
  /** JSON Schema the answer must satisfy; null for free text. */
  outputSchema: z.record(z.string(), z.unknown()).nullable().default(null),
  /** Time to first token before failing over, in ms; null for none. */
  latencyBudgetMs: z.number().int().positive().nullable().default(null),
  /** Cost ceiling per task in USD; null for none. */
  costCeilingUsd: z.number().nonnegative().nullable().default(null),
  localOnly: z.boolean().default(false),
  builtIn: z.boolean().default(false),
});
export type Agent = z.infer<typeof agentSchema>;

export const builtInAgents: Agent[] = [
  {
    name: 'builder',
    description: 'Writes and fixes code.',
    systemPrompt: 'You are a senior software engineer. Answer with working code and short explanations.',
    requiredCapabilities: [],
    outputSchema: null,
    latencyBudgetMs: null,
    costCeilingUsd: null,
    localOnly: false,
    builtIn: true,
  },
  {
    name: 'planner',
    description: 'Breaks work into multi-step plans, as structured output.',
    systemPrompt: 'You plan work as a short list of concrete steps. Answer with JSON only.',
    requiredCapabilities: ['structuredOutput'],
    outputSchema: {
      type: 'object',
      required: ['steps'],
      properties: {
        goal: { type: 'string' },
        steps: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['title'],
            properties: { title: { type: 'string' }, detail: { type: 'string' } },
          },
        },
      },
    },
    latencyBudgetMs: null,
    costCeilingUsd: null,
    localOnly: false,
    builtIn: true,
  },
  {
    name: 'research',
    description: 'Researches a question and summarises what it found.',
    systemPrompt: 'You research questions carefully and cite what you rely on.',
    requiredCapabilities: [],
    outputSchema: null,
    latencyBudgetMs: null,
    costCeilingUsd: null,
    localOnly: false,
    builtIn: true,
  },
  {
    name: 'vision_agent',
    description: 'Looks at images and describes or extracts what they show.',
    systemPrompt: 'You describe and analyse images precisely.',
    requiredCapabilities: ['vision'],
    outputSchema: null,
    latencyBudgetMs: null,
    costCeilingUsd: null,
    localOnly: false,
    builtIn: true,
  },
];

/** What the built-in agents are called wherever a user reads them. */
const builtInDisplayNames: Readonly<Record<string, string>> = {
  builder: 'Builder',
  planner: 'Planner',
  research: 'Research',
  vision_agent: 'Vision',
};

/**
 * An agent's name as a user reads it ("Vision" for `vision_agent`); the agent's id stays what rules
 * (`agent:<name>`), the gateway and exports use. Custom agents: words from the id, first one capitalised.
 */
export function agentDisplayName(name: string): string {
  const known = builtInDisplayNames[name];
  if (known) return known;
  const words = name
    .replace(/[_-]+/g, ' ')
    .trim()
    .replace(/\s+agent$/i, '');
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}

/** "Any task" for `default`, "Builder tasks" for `agent:builder`: a routing rule's context as a user reads it. */
export function ruleContextWords(context: string): string {
  if (context === 'default') return 'Any task';
  if (context.startsWith('agent:')) return `${agentDisplayName(context.slice('agent:'.length))} tasks`;
  return context;
}
