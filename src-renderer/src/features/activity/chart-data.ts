import type { CallAggregate } from '../../../../src-shared/schemas/call-log';

export type Metric = (row: CallAggregate) => number | null;

/** A line through one point says nothing a number would not: below this many time buckets, figures replace charts. */
export const MIN_CHART_BUCKETS = 2;

export function bucketCount(rows: readonly CallAggregate[]): number {
  return new Set(rows.map((row) => row.bucketStart)).size;
}

/** Whether the rows span enough time buckets to be drawn as charts. */
export function drawsCharts(rows: readonly CallAggregate[]): boolean {
  return bucketCount(rows) >= MIN_CHART_BUCKETS;
}

/** One series per group: [{ bucketStart, <group>: value }] sorted by time. */
export function pivot(rows: readonly CallAggregate[], metric: Metric): { data: Array<Record<string, number | null>>; keys: string[] } {
  const keys = [...new Set(rows.map((row) => row.key))];
  const byBucket = new Map<number, Record<string, number | null>>();
  for (const row of rows) {
    const point = byBucket.get(row.bucketStart) ?? { bucketStart: row.bucketStart };
    point[row.key] = metric(row);
    byBucket.set(row.bucketStart, point);
  }
  return { data: [...byBucket.values()].sort((a, b) => (a.bucketStart ?? 0) - (b.bucketStart ?? 0)), keys };
}
