import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CallAggregate } from '../../../src-shared/schemas/call-log';
import { ActivityCharts } from '../../../src-renderer/src/features/activity/ActivityCharts';
import { drawsCharts, pivot } from '../../../src-renderer/src/features/activity/chart-data';
import { markersFor } from '../../../src-renderer/src/features/activity/InsightsPanel';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 4, 14, 9);

function aggregate(bucketStart: number, key: string, overrides: Partial<CallAggregate> = {}): CallAggregate {
  return {
    bucketStart,
    key,
    calls: 2,
    errors: 1,
    interrupted: 0,
    escalations: 0,
    errorRate: 0.5,
    latencyP50Ms: 1200,
    latencyP95Ms: 2000,
    timeToFirstTokenP50Ms: null,
    timeToFirstTokenP95Ms: null,
    inputTokens: 10,
    outputTokens: 5,
    costUsd: 0.0123,
    unpricedCalls: 0,
    schemaFailures: 0,
    emptyAnswers: 0,
    ...overrides,
  };
}

function render(rows: CallAggregate[]): string {
  return renderToStaticMarkup(createElement(ActivityCharts, { rows, names: (key: string) => key.toUpperCase(), hourly: true }));
}

describe('Activity charts need two or more time buckets', () => {
  it('one bucket (any number of groups) is not a chart; two buckets are', () => {
    expect(drawsCharts([])).toBe(false);
    expect(drawsCharts([aggregate(START, 'claude')])).toBe(false);
    expect(drawsCharts([aggregate(START, 'claude'), aggregate(START, 'deepseek')])).toBe(false);
    expect(drawsCharts([aggregate(START, 'claude'), aggregate(START + HOUR, 'claude')])).toBe(true);
    expect(drawsCharts([aggregate(START, 'claude'), aggregate(START + HOUR, 'deepseek')])).toBe(true);
  });

  it('with one bucket each panel shows every group’s figure as a number, and says why there is no chart', () => {
    const html = render([
      aggregate(START, 'claude', { latencyP50Ms: 98, errorRate: 0.5, costUsd: 0.0123, calls: 2 }),
      aggregate(START, 'deepseek', { latencyP50Ms: 236, errorRate: 0, costUsd: 0, calls: 1 }),
    ]);
    expect(html).not.toContain('recharts');
    expect(html).toContain('charts appear once calls span two or more');
    const panels = [...html.matchAll(/<figure[^>]*aria-label="([^"]+)"[^>]*>(.*?)<\/figure>/g)].map(([, title, body]) => ({
      title,
      text: body!
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    }));
    expect(panels.map((panel) => panel.title)).toEqual([
      'Latency (median)',
      'Time to first token (median)',
      'Error rate',
      'Escalations',
      'Spend',
      'Calls',
    ]);
    expect(panels[0]!.text).toBe('Latency (median) CLAUDE 98 ms DEEPSEEK 236 ms');
    expect(panels[1]!.text).toBe('Time to first token (median) CLAUDE — DEEPSEEK —');
    expect(panels[2]!.text).toBe('Error rate CLAUDE 50% DEEPSEEK 0%');
    expect(panels[4]!.text).toBe('Spend CLAUDE $0.0123 DEEPSEEK $0');
    expect(panels[5]!.text).toBe('Calls CLAUDE 2 DEEPSEEK 1');
  });

  it('with two buckets the panels are charts, without the one-bucket note', () => {
    const html = render([aggregate(START, 'claude'), aggregate(START + HOUR, 'claude')]);
    expect(html).toContain('recharts-responsive-container');
    expect(html).not.toContain('charts appear once');
    expect(html).not.toContain('chart-figures');
  });

  it('pivots groups into one series each, sorted by time', () => {
    const { data, keys } = pivot(
      [aggregate(START + HOUR, 'b', { calls: 3 }), aggregate(START, 'a', { calls: 1 }), aggregate(START + HOUR, 'a', { calls: 2 })],
      (row) => row.calls,
    );
    expect(keys).toEqual(['b', 'a']);
    expect(data).toEqual([
      { bucketStart: START, a: 1 },
      { bucketStart: START + HOUR, b: 3, a: 2 },
    ]);
  });
});

describe('version-change markers', () => {
  const change = (at: number, modelVersion: string) => ({ at, connectionId: 'claude', modelVersion, previousVersion: 'old' });
  it('puts each change at the bucket it falls in; one before the first bucket is not drawn', () => {
    const buckets = [START, START + HOUR, START + 2 * HOUR, START + HOUR];
    expect(markersFor([change(START + HOUR + 5 * 60_000, 'v2'), change(START - 1, 'v0'), change(START + 9 * HOUR, 'v3')], buckets)).toEqual(
      [
        { bucketStart: START + HOUR, label: 'v2' },
        { bucketStart: START + 2 * HOUR, label: 'v3' },
      ],
    );
  });
});
