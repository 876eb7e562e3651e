import type { CallKind } from './route-plan';

/** Who a quality row is about: a task agent (also gateway calls naming one), else the source itself. */
export type QualitySubject = { agent: string } | { source: CallKind };

/** How one agent (or source) fared on one model version over the range asked for. */
export interface QualityRow {
  subject: QualitySubject;
  /** The model version the provider reported, else the model asked for. */
  modelVersion: string;
  calls: number;
  /** Answers rejected for a stronger model (empty, or failing their schema). */
  escalations: number;
  escalationRate: number;
  schemaFailures: number;
  schemaFailureRate: number;
  emptyAnswers: number;
  emptyAnswerRate: number;
  errors: number;
  errorRate: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  costUsd: number;
  /** Calls with tokens but no known price: `costUsd` is at least this much. */
  unpricedCalls: number;
  /** When some connection first reported this version (ever, not just in range); null when never reported. */
  firstSeenAt: number | null;
  /** The version this one followed on a connection (it is a model update): the row to compare with. */
  previousVersion: string | null;
}

/** A connection started reporting a new model version: drawn as a marker on the charts. */
export interface VersionChange {
  at: number;
  connectionId: string;
  modelVersion: string;
  previousVersion: string;
}

export interface QualityReport {
  rows: QualityRow[];
  /** Changes within the range asked for, oldest first. */
  versionChanges: VersionChange[];
}
