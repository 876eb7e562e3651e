import { describe, expect, it } from 'vitest';
import { callLogRetentionSchema, type CallLogInput } from '../../../src-shared/schemas/call-log';
import { defaultSettings, settingsPatchSchema, settingsSchema } from '../../../src-shared/schemas/settings';
import { entryToStore, retentionFor } from '../../../src-main/storage/call-log-settings';

const entry: CallLogInput = {
  at: Date.UTC(2026, 4, 14, 9),
  source: 'chat',
  connectionId: 'claude',
  connectionName: 'Claude',
  providerKind: 'anthropic',
  requestedModel: 'claude-sonnet-4-6',
  attempt: 1,
  fallbackPosition: 0,
  outcome: 'success',
  inputTokens: 100,
  prompt: 'the question',
  response: 'the answer',
};

describe('call log settings', () => {
  it('default to storing texts for 90 days and 256 MB, the limits the log used before they were settings', () => {
    const settings = defaultSettings().callLog;
    expect(settings).toEqual({ storeTexts: true, retentionDays: 90, maxTextMegabytes: 256 });
    const before = callLogRetentionSchema.parse({});
    expect(retentionFor(settings)).toEqual({ maxAgeDays: before.maxAgeDays, maxTextBytes: before.maxTextBytes });
  });

  it('a settings file written before these settings existed reads with the defaults', () => {
    const { callLog, ...older } = defaultSettings();
    expect(settingsSchema.parse(older).callLog).toEqual(callLog);
  });

  it('with texts off, a call keeps its figures and loses its prompt and answer', () => {
    expect(entryToStore(entry, { storeTexts: true, retentionDays: 90, maxTextMegabytes: 256 })).toEqual(entry);
    const stored = entryToStore(entry, { storeTexts: false, retentionDays: 90, maxTextMegabytes: 256 });
    expect(stored).toEqual({ ...entry, prompt: '', response: '' });
  });

  it('turns days and megabytes into the pruning limits', () => {
    expect(retentionFor({ storeTexts: true, retentionDays: 7, maxTextMegabytes: 3 })).toEqual({
      maxAgeDays: 7,
      maxTextBytes: 3 * 1024 * 1024,
    });
  });

  it.each([
    [{ retentionDays: 0 }, 'Keep calls for at least 1 day'],
    [{ retentionDays: 1.5 }, 'Use a whole number of days'],
    [{ maxTextMegabytes: 0 }, 'Allow at least 1 MB'],
    [{ maxTextMegabytes: 20_000 }, 'Allow at most 10240 MB'],
  ])('a patch %j is refused: %s', (callLog, message) => {
    const parsed = settingsPatchSchema.safeParse({ callLog });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(message);
  });

  it('a patch may change one field alone', () => {
    expect(settingsPatchSchema.parse({ callLog: { storeTexts: false } })).toEqual({ callLog: { storeTexts: false } });
  });
});
