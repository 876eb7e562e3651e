import { describe, expect, it } from 'vitest';
import { qualityReport, versionChanges, type QualityFigures, type VersionFirstSeen } from '../../../src-main/storage/quality-report';

function figures(subject: string, modelVersion: string, overrides: Partial<QualityFigures> = {}): QualityFigures {
  return {
    subject,
    modelVersion,
    calls: 10,
    errors: 0,
    escalations: 0,
    schemaFailures: 0,
    emptyAnswers: 0,
    latencyP50Ms: 1000,
    latencyP95Ms: 2000,
    costUsd: 0.1,
    unpricedCalls: 0,
    ...overrides,
  };
}

describe('versionChanges', () => {
  const history: VersionFirstSeen[] = [
    { connectionId: 'claude', modelVersion: 'sonnet-2', firstAt: 300 },
    { connectionId: 'claude', modelVersion: 'sonnet-1', firstAt: 100 },
    { connectionId: 'claude', modelVersion: 'sonnet-3', firstAt: 900 },
    { connectionId: 'openai', modelVersion: 'gpt-1', firstAt: 200 },
    { connectionId: 'openai', modelVersion: 'gpt-2', firstAt: 500 },
  ];
  it.each([
    { range: {}, expected: ['claude:sonnet-1>sonnet-2@300', 'openai:gpt-1>gpt-2@500', 'claude:sonnet-2>sonnet-3@900'] },
    { range: { from: 400 }, expected: ['openai:gpt-1>gpt-2@500', 'claude:sonnet-2>sonnet-3@900'] },
    { range: { from: 300, to: 900 }, expected: ['claude:sonnet-1>sonnet-2@300', 'openai:gpt-1>gpt-2@500'] },
    { range: { from: 1000 }, expected: [] },
  ])('marks each later version where its connection first reported it ($range)', ({ range, expected }) => {
    expect(
      versionChanges(history, range).map(
        (change) => `${change.connectionId}:${change.previousVersion}>${change.modelVersion}@${change.at}`,
      ),
    ).toEqual(expected);
  });

  it('marks nothing for a connection that only ever reported one version', () => {
    expect(versionChanges([{ connectionId: 'solo', modelVersion: 'v1', firstAt: 5 }], {})).toEqual([]);
  });
});

describe('qualityReport', () => {
  const history: VersionFirstSeen[] = [
    { connectionId: 'claude', modelVersion: 'sonnet-1', firstAt: 100 },
    { connectionId: 'claude', modelVersion: 'sonnet-2', firstAt: 300 },
    // The same version seen earlier on another connection counts from then.
    { connectionId: 'backup', modelVersion: 'sonnet-2', firstAt: 250 },
  ];

  it.each([
    {
      name: 'rates are parts of the calls',
      input: [figures('agent:planner', 'sonnet-1', { calls: 8, escalations: 2, schemaFailures: 1, emptyAnswers: 1, errors: 4 })],
      expected: [{ modelVersion: 'sonnet-1', escalationRate: 0.25, schemaFailureRate: 0.125, emptyAnswerRate: 0.125, errorRate: 0.5 }],
    },
    {
      name: "an agent's versions come oldest first; one that followed another on a connection names it",
      input: [figures('agent:planner', 'sonnet-2'), figures('agent:planner', 'sonnet-1')],
      expected: [
        { modelVersion: 'sonnet-1', firstSeenAt: 100, previousVersion: null },
        { modelVersion: 'sonnet-2', firstSeenAt: 250, previousVersion: 'sonnet-1' },
      ],
    },
    {
      name: 'agents come by name, sources after them; a model that never reported a version has no first sighting',
      // sonnet-1 is no update of llama3.2: a different connection's first version follows nothing.
      input: [
        figures('gateway', 'llama3.2'),
        figures('agent:research', 'sonnet-1'),
        figures('chat', 'sonnet-2'),
        figures('agent:builder', 'sonnet-2'),
      ],
      expected: [
        { subject: { agent: 'builder' }, modelVersion: 'sonnet-2' },
        { subject: { agent: 'research' }, modelVersion: 'sonnet-1' },
        { subject: { source: 'chat' }, modelVersion: 'sonnet-2' },
        { subject: { source: 'gateway' }, modelVersion: 'llama3.2', firstSeenAt: null, previousVersion: null },
      ],
    },
    {
      name: 'a group with no calls left is no row',
      input: [figures('chat', 'sonnet-1', { calls: 0 })],
      expected: [],
    },
  ])('$name', ({ input, expected }) => {
    const report = qualityReport(input, history, {});
    expect(report.rows).toHaveLength(expected.length);
    report.rows.forEach((row, index) => expect(row).toMatchObject(expected[index]!));
  });

  it('carries the version changes of the range with the rows', () => {
    expect(qualityReport([], history, { from: 200 }).versionChanges).toEqual([
      { at: 300, connectionId: 'claude', modelVersion: 'sonnet-2', previousVersion: 'sonnet-1' },
    ]);
  });
});
