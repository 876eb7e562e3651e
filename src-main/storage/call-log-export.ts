// Activity export: the calls matching a filter written as CSV (RFC 4180) or JSONL, one call per line/record.
// Rows come from the repository a batch at a time and leave through `write`, so memory stays bounded.
import type { CallLogExportFile, CallLogExportQuery, CallLogExportRow } from '../../src-shared/schemas/call-log';
import type { CallLogRepository } from './call-log-repository';

type Format = CallLogExportQuery['format'];

/** Columns in file order; the same names are the JSONL keys, so both files read the same. */
export const exportColumns = [
  'id',
  'time',
  'source',
  'agent',
  'client',
  'connectionId',
  'connectionName',
  'providerKind',
  'requestedModel',
  'modelVersion',
  'attempt',
  'fallbackPosition',
  'outcome',
  'errorCode',
  'errorMessage',
  'latencyMs',
  'timeToFirstTokenMs',
  'inputTokens',
  'outputTokens',
  'costUsd',
  'prompt',
  'response',
] as const;

type ExportRecord = Record<(typeof exportColumns)[number], string | number | null>;

function record(row: CallLogExportRow): ExportRecord {
  const { at, ...rest } = row;
  return { ...rest, time: new Date(at).toISOString() };
}

// A spreadsheet runs a cell starting with one of these as a formula; a logged prompt must not.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled), a text that a
 * spreadsheet would take for a formula prefixed with an apostrophe; null is an empty field.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(values: ReadonlyArray<string | number | null>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Writes the rows in `format` through `write`; returns how many rows went out. */
export async function writeCallLogExport(
  rows: AsyncIterable<CallLogExportRow>,
  format: Format,
  write: (chunk: string) => void,
): Promise<number> {
  let count = 0;
  if (format === 'csv') write(csvLine(exportColumns));
  for await (const row of rows) {
    const values = record(row);
    // JSON.stringify escapes line breaks inside strings, so each call stays on one line.
    write(format === 'csv' ? csvLine(exportColumns.map((column) => values[column])) : `${JSON.stringify(values, [...exportColumns])}\n`);
    count += 1;
  }
  return count;
}

function stamp(at: number): string {
  const date = new Date(at);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}`;
}

/** The calls matching the query as one file to save, named after the moment of export. */
export async function exportCallLog(callLog: CallLogRepository, query: CallLogExportQuery, now: number): Promise<CallLogExportFile> {
  const { format, ...filter } = query;
  const chunks: string[] = [];
  const rows = await writeCallLogExport(callLog.exportRows(filter), format, (chunk) => chunks.push(chunk));
  return { fileName: `switchboard-activity-${stamp(now)}.${format}`, text: chunks.join(''), rows };
}
