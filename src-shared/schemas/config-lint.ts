/** Where a lint finding is, so the editors can put a badge on it. */
export interface LintTarget {
  kind: 'rule' | 'tier' | 'route' | 'agent' | 'connection';
  /** Rule id, tier id, route id, agent name or connection id. */
  id: string;
  /** The tier entry or route target (its index) the finding is about; absent when about the whole. */
  entry?: number;
}

/** Something in the configuration that will not work as the user expects. */
export interface LintFinding {
  /** Errors make `--lint` exit with status 1. */
  severity: 'error' | 'warning';
  code:
    | 'single-provider-chain'
    | 'missing-connection'
    | 'disabled-connection'
    | 'shadowed-rule'
    | 'capability-unavailable'
    | 'local-only-without-local'
    | 'zero-budget'
    | 'empty-tier';
  target: LintTarget;
  /** What is wrong, naming the thing: `Route "resilient": every target is on OpenAI`. */
  title: string;
  /** What will happen because of it. */
  happens: string;
  /** How to fix it. */
  fix: string;
}
