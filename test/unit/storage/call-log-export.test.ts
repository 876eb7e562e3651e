import { describe, expect, it } from 'vitest';
import type { CallLogExportRow } from '../../../src-shared/schemas/call-log';
import { csvField, exportColumns, writeCallLogExport } from '../../../src-main/storage/call-log-export';

function row(overrides: Partial<CallLogExportRow> = {}): CallLogExportRow {
  return {
    id: 7,
    at: Date.UTC(2026, 4, 14, 9, 30),
    source: 'chat',
    agent: null,
    client: null,
    connectionId: 'claude',
    connectionName: 'Claude',
    providerKind: 'anthropic',
    requestedModel: 'claude-sonnet-4-6',
    modelVersion: 'claude-sonnet-4-6-20260101',
    attempt: 1,
    fallbackPosition: 0,
    outcome: 'success',
    errorCode: null,
    errorMessage: null,
    latencyMs: 1200,
    timeToFirstTokenMs: 300,
    inputTokens: 100,
    outputTokens: 50,
    costUsd: 0.00105,
    prompt: 'hello',
    response: 'hi',
    ...overrides,
  };
}

async function* rows(...items: CallLogExportRow[]): AsyncIterable<CallLogExportRow> {
  yield* items;
}

async function written(format: 'csv' | 'jsonl', ...items: CallLogExportRow[]): Promise<{ text: string; count: number }> {
  let text = '';
  const count = await writeCallLogExport(rows(...items), format, (chunk) => (text += chunk));
  return { text, count };
}

/** RFC 4180 read the long way round, so the writer is checked against a reader, not against itself. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      index += 1;
    } else field += char;
  }
  expect(quoted, 'an unterminated quote').toBe(false);
  expect(field + record.join(''), 'text after the last line break').toBe('');
  return records;
}

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['', ''],
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1', "'+1"],
    ['-rf', "'-rf"],
    ['@cmd', "'@cmd"],
    ['=HYPERLINK("x","y")', `"'=HYPERLINK(""x"",""y"")"`],
  ])('%j is written as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers as they are (negative too), null and non-finite numbers as empty fields', () => {
    expect(csvField(0.00105)).toBe('0.00105');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });
});

describe('writeCallLogExport', () => {
  it('CSV: a header, one record per call, and texts with commas, quotes and line breaks read back intact', async () => {
    const awkward = 'Line one, with a comma\nLine "two"\r\nthree';
    const { text, count } = await written(
      'csv',
      row({ prompt: awkward, response: '=1+1' }),
      row({ id: 6, source: 'gateway', client: 'editor', costUsd: null }),
    );
    expect(count).toBe(2);
    const [header, first, second, ...rest] = parseCsv(text);
    expect(rest).toEqual([]);
    expect(header).toEqual([...exportColumns]);
    const column = (record: string[] | undefined, name: (typeof exportColumns)[number]) => record?.[exportColumns.indexOf(name)];
    expect(column(first, 'prompt')).toBe(awkward);
    expect(column(first, 'response')).toBe("'=1+1");
    expect(column(first, 'time')).toBe('2026-05-14T09:30:00.000Z');
    expect(column(first, 'costUsd')).toBe('0.00105');
    expect(column(first, 'client')).toBe('');
    expect(column(second, 'client')).toBe('editor');
    expect(column(second, 'costUsd')).toBe('');
    expect(first).toHaveLength(exportColumns.length);
  });

  it('JSONL: one JSON object per line, line breaks inside texts escaped, nulls kept as null', async () => {
    const { text, count } = await written(
      'jsonl',
      row({ prompt: 'a\nb', errorCode: null }),
      row({ id: 6, outcome: 'error', errorCode: 'rate_limited' }),
    );
    expect(count).toBe(2);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(first!)).toEqual([...exportColumns]);
    expect(first).toMatchObject({ id: 7, prompt: 'a\nb', errorCode: null, time: '2026-05-14T09:30:00.000Z', costUsd: 0.00105 });
    expect(second).toMatchObject({ id: 6, outcome: 'error', errorCode: 'rate_limited' });
  });

  it('an empty result is a header only (CSV) or an empty file (JSONL)', async () => {
    expect(await written('csv')).toEqual({ text: `${exportColumns.join(',')}\r\n`, count: 0 });
    expect(await written('jsonl')).toEqual({ text: '', count: 0 });
  });
});
