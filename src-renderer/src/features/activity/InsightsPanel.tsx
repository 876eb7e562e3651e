import { useMemo } from 'react';
import type { VersionChange } from '../../../../src-shared/schemas/quality';
import { formatMoment } from '../../lib/date-time';
import { useActivityStore } from '../../stores/activity-store';
import { ActivityCharts, type ChartMarker } from './ActivityCharts';
import { QualityTable } from './QualityTable';

/** Each version change at the bucket it falls in, so it can be drawn on a chart of those buckets. */
export function markersFor(changes: readonly VersionChange[], bucketStarts: readonly number[]): ChartMarker[] {
  const sorted = [...new Set(bucketStarts)].sort((left, right) => left - right);
  return changes.flatMap((change) => {
    const bucketStart = sorted.findLast((start) => start <= change.at);
    return bucketStart === undefined ? [] : [{ bucketStart, label: change.modelVersion }];
  });
}

/** Activity -> Insights: charts over time (with model-version changes marked) and quality per agent and version. */
export function InsightsPanel(props: { names(key: string): string }) {
  const { aggregates, quality, grouping, filters, setGrouping } = useActivityStore();
  const hourly = filters.range === 'hour' || filters.range === 'day';
  const changes = useMemo(() => quality?.versionChanges ?? [], [quality]);
  const markers = useMemo(
    () =>
      markersFor(
        changes,
        aggregates.map((row) => row.bucketStart),
      ),
    [changes, aggregates],
  );
  return (
    <>
      <div className="segmented" role="group" aria-label="Group charts by">
        <button type="button" className={grouping === 'provider' ? 'active' : ''} onClick={() => setGrouping('provider')}>
          By connection
        </button>
        <button type="button" className={grouping === 'model' ? 'active' : ''} onClick={() => setGrouping('model')}>
          By model version
        </button>
      </div>
      {changes.length > 0 ? (
        <ul className="version-changes" aria-label="Model version changes">
          {changes.map((change) => (
            <li key={`${change.connectionId}-${change.modelVersion}`}>
              <span className="version-marker" aria-hidden="true" />
              {formatMoment(change.at, !hourly)}: {props.names(change.connectionId)} started reporting{' '}
              <span className="mono">{change.modelVersion}</span> (was <span className="mono">{change.previousVersion}</span>)
            </li>
          ))}
        </ul>
      ) : null}
      {aggregates.length > 0 ? (
        <ActivityCharts rows={aggregates} names={grouping === 'provider' ? props.names : (key) => key} hourly={hourly} markers={markers} />
      ) : null}
      <h2 className="section-title">Quality by agent and model version</h2>
      {quality === null ? <p className="muted">Reading the call log…</p> : <QualityTable rows={quality.rows} />}
    </>
  );
}
