// The quality view's one home: from per-(subject, model version) figures and the first time each connection
// reported each version, the rates, the order rows are shown in, and the version-change markers. Pure, so
// the numbers are table-tested on known figures; the figures themselves come from the call log's summaries.
import type { CallKind } from '../../src-shared/schemas/route-plan';
import type { QualityReport, QualityRow, QualitySubject, VersionChange } from '../../src-shared/schemas/quality';

/** The summed figures of one subject on one model version, as the call log reads them. */
export interface QualityFigures {
  /** `agent:<name>` for an agent, else the source (`chat`, `task`, `gateway`). */
  subject: string;
  modelVersion: string;
  calls: number;
  errors: number;
  escalations: number;
  schemaFailures: number;
  emptyAnswers: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  costUsd: number;
  unpricedCalls: number;
}

/** When a connection first reported a model version. */
export interface VersionFirstSeen {
  connectionId: string;
  modelVersion: string;
  firstAt: number;
}

/** Marks a subject key as an agent's name rather than a source. */
export const AGENT_PREFIX = 'agent:';

function subjectOf(key: string): QualitySubject {
  return key.startsWith(AGENT_PREFIX) ? { agent: key.slice(AGENT_PREFIX.length) } : { source: key as CallKind };
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** Each connection's later versions, from the moment it first reported them, within [from, to). */
export function versionChanges(history: readonly VersionFirstSeen[], range: { from?: number; to?: number }): VersionChange[] {
  const byConnection = new Map<string, VersionFirstSeen[]>();
  for (const entry of history) byConnection.set(entry.connectionId, [...(byConnection.get(entry.connectionId) ?? []), entry]);
  const changes: VersionChange[] = [];
  for (const [connectionId, entries] of byConnection) {
    const ordered = [...entries].sort((left, right) => left.firstAt - right.firstAt || left.modelVersion.localeCompare(right.modelVersion));
    ordered.forEach((entry, index) => {
      if (index === 0) return;
      if ((range.from !== undefined && entry.firstAt < range.from) || (range.to !== undefined && entry.firstAt >= range.to)) return;
      changes.push({
        at: entry.firstAt,
        connectionId,
        modelVersion: entry.modelVersion,
        previousVersion: ordered[index - 1]!.modelVersion,
      });
    });
  }
  return changes.sort((left, right) => left.at - right.at || left.connectionId.localeCompare(right.connectionId));
}

/** Rows grouped by subject, each subject's versions oldest first, and the markers for the charts. */
export function qualityReport(
  figures: readonly QualityFigures[],
  history: readonly VersionFirstSeen[],
  range: { from?: number; to?: number },
): QualityReport {
  // A version that followed another on some connection names the one it followed.
  const followed = new Map(versionChanges(history, {}).map((change) => [change.modelVersion, change.previousVersion]));
  const firstSeen = new Map<string, number>();
  for (const entry of history) firstSeen.set(entry.modelVersion, Math.min(firstSeen.get(entry.modelVersion) ?? Infinity, entry.firstAt));
  const bySubject = new Map<string, QualityFigures[]>();
  for (const entry of figures) {
    if (entry.calls > 0) bySubject.set(entry.subject, [...(bySubject.get(entry.subject) ?? []), entry]);
  }
  const rows: QualityRow[] = [];
  for (const subject of [...bySubject.keys()].sort()) {
    const versions = bySubject
      .get(subject)!
      .map((entry) => ({ entry, seen: firstSeen.get(entry.modelVersion) ?? null }))
      // Versions never reported (only the model asked for) first, then by when they appeared.
      .sort(
        (left, right) =>
          (left.seen ?? -Infinity) - (right.seen ?? -Infinity) || left.entry.modelVersion.localeCompare(right.entry.modelVersion),
      );
    versions.forEach(({ entry, seen }) => {
      rows.push({
        subject: subjectOf(subject),
        modelVersion: entry.modelVersion,
        calls: entry.calls,
        escalations: entry.escalations,
        escalationRate: rate(entry.escalations, entry.calls),
        schemaFailures: entry.schemaFailures,
        schemaFailureRate: rate(entry.schemaFailures, entry.calls),
        emptyAnswers: entry.emptyAnswers,
        emptyAnswerRate: rate(entry.emptyAnswers, entry.calls),
        errors: entry.errors,
        errorRate: rate(entry.errors, entry.calls),
        latencyP50Ms: entry.latencyP50Ms,
        latencyP95Ms: entry.latencyP95Ms,
        costUsd: entry.costUsd,
        unpricedCalls: entry.unpricedCalls,
        firstSeenAt: seen,
        previousVersion: followed.get(entry.modelVersion) ?? null,
      });
    });
  }
  return { rows, versionChanges: versionChanges(history, range) };
}
