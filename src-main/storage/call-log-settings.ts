// What the user's call log settings mean for what is stored and for how long.
import type { CallLogInput, CallLogRetention } from '../../src-shared/schemas/call-log';
import type { CallLogSettings } from '../../src-shared/schemas/settings';

const MEGABYTE = 1024 * 1024;

/** The entry as the log should keep it: without prompt and answer when the user keeps figures only. */
export function entryToStore(entry: CallLogInput, settings: CallLogSettings): CallLogInput {
  return settings.storeTexts ? entry : { ...entry, prompt: '', response: '' };
}

/** The pruning limits the settings ask for. */
export function retentionFor(settings: CallLogSettings): CallLogRetention {
  return { maxAgeDays: settings.retentionDays, maxTextBytes: settings.maxTextMegabytes * MEGABYTE };
}
