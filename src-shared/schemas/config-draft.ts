import { z } from 'zod';
import { agentSchema, type Agent } from './agent';
import type { ConfigChange, ConfigVersion } from './config-history';
import type { LintFinding } from './config-lint';
import { routingConfigSchema, type RoutingConfig } from './routing';

/** An edit to the draft: the whole routing, the whole list of stored agents, or both. */
export const configDraftEditSchema = z
  .object({
    routing: routingConfigSchema.optional(),
    /** As settings keep them: built-in agents the user edited, then their own. */
    agents: z.array(agentSchema.strict()).max(500).optional(),
  })
  .strict();
export type ConfigDraftEdit = z.infer<typeof configDraftEditSchema>;

/** The routing and agents the editors show: unsaved edits (a draft) or, without one, what is saved. */
export interface ConfigDraftView {
  /** True while there are unsaved edits. */
  dirty: boolean;
  routing: RoutingConfig;
  /** As settings keep them: built-in agents the user edited, then their own. */
  agents: Agent[];
  /** Every agent as the editors list it: built-ins (with edits), then the user's own. */
  agentList: Agent[];
  /** What Save would change, readable ("rule agent:builder -> Claude added"); empty when clean. */
  changes: ConfigChange[];
  /** The lint of what is on screen (the draft when there is one). */
  findings: LintFinding[];
  /** When the draft was last edited (ms since the epoch); null when clean. */
  editedAt: number | null;
}

/** What Save answers: the version it added to the history (null when nothing differed) and the view after. */
export interface ConfigDraftSaveResult {
  version: ConfigVersion | null;
  view: ConfigDraftView;
}
