import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { appError, AppErrorException } from '../../../src-shared/errors/app-error';
import type { PriceListInfo } from '../../../src-shared/schemas/prices';
import snapshot from './litellm-snapshot.json';
import { parsePriceList, type PriceList } from './price-list';

/** The public, maintained price list "Refresh prices" downloads (MIT licensed, by Berri AI). */
export const priceListUrl = snapshot.source;

/** A refreshed list bigger than this is refused (today's whole list is under 2 MB). */
const maxBytes = 25 * 1024 * 1024;
const refreshTimeoutMs = 30_000;

export interface PriceBookOptions {
  /** Where a refreshed list is kept; without it a refresh lasts until the app quits. */
  file?: string;
  fetch?: typeof fetch;
  now(): number;
}

/** The price list in use: the refreshed copy when there is one, else the snapshot shipped with the app. */
export interface PriceBook {
  list(): PriceList;
  info(): PriceListInfo;
  /** Downloads the current list; on any failure the list in use stays as it was. */
  refresh(): Promise<PriceListInfo>;
}

/** The snapshot shipped with the app. */
export const shipped = (): PriceList =>
  parsePriceList(snapshot, { source: snapshot.source, retrieved: snapshot.retrieved, kind: 'snapshot' });

function readRefreshed(file: string | undefined): PriceList | undefined {
  if (!file) return undefined;
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { source?: string; retrieved?: string };
    return parsePriceList(stored, { source: stored.source ?? priceListUrl, retrieved: stored.retrieved ?? 'unknown', kind: 'refreshed' });
  } catch {
    // No refreshed copy yet, or an unreadable one: the shipped snapshot stands in.
    return undefined;
  }
}

export function createPriceBook(options: PriceBookOptions): PriceBook {
  let current: PriceList | undefined;
  const list = () => (current ??= readRefreshed(options.file) ?? shipped());
  const info = (): PriceListInfo => {
    const { origin, size } = list();
    return { ...origin, models: size };
  };
  return {
    list,
    info,
    async refresh() {
      const failed = (reason: string) =>
        new AppErrorException(
          appError(
            'network',
            `Could not refresh prices from ${priceListUrl}: ${reason}. The prices in use are unchanged (${describe(info())}).`,
          ),
        );
      let text: string;
      try {
        const response = await (options.fetch ?? fetch)(priceListUrl, { signal: AbortSignal.timeout(refreshTimeoutMs) });
        if (!response.ok) throw failed(`the server answered ${response.status}`);
        const declared = Number(response.headers.get('content-length') ?? 0);
        if (declared > maxBytes) throw failed('the list is larger than 25 MB');
        text = await response.text();
      } catch (error) {
        if (error instanceof AppErrorException) throw error;
        throw failed('no connection to the internet or the server did not answer; try again when online');
      }
      if (text.length > maxBytes) throw failed('the list is larger than 25 MB');
      const retrieved = new Date(options.now()).toISOString().slice(0, 10);
      let refreshed: PriceList;
      let document: unknown;
      try {
        document = JSON.parse(text);
        refreshed = parsePriceList(document, { source: priceListUrl, retrieved, kind: 'refreshed' });
      } catch (error) {
        throw failed(`the download is not a price list (${error instanceof Error ? error.message : String(error)})`);
      }
      if (options.file) {
        const temporary = `${options.file}.tmp`;
        writeFileSync(temporary, JSON.stringify({ source: priceListUrl, retrieved, models: document }));
        renameSync(temporary, options.file);
      }
      current = refreshed;
      return info();
    },
  };
}

/** "snapshot of 2026-12-02, 31 models" */
export function describe(info: PriceListInfo): string {
  return `${info.kind === 'snapshot' ? 'the snapshot shipped with the app' : 'the list refreshed'} as of ${info.retrieved}, ${info.models} models`;
}
