import { describe, expect, it } from 'vitest';
import { localModelSettingsSchema, settingsPatchSchema } from '../../../src-shared/schemas/settings';

describe('a settings patch', () => {
  it('carries only the local-model fields it names, so saving one does not reset the others to their defaults', () => {
    expect(settingsPatchSchema.parse({ localModels: { contextTokens: 16_384 } })).toEqual({ localModels: { contextTokens: 16_384 } });
    expect(settingsPatchSchema.parse({ localModels: { keepAlive: '1h' } })).toEqual({ localModels: { keepAlive: '1h' } });
  });

  it('still checks what it carries, with words the Settings form can show', () => {
    const result = settingsPatchSchema.safeParse({ localModels: { keepAlive: 'ten minutes' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Use a duration such as 30s, 10m or 1h; 0 unloads at once, -1 keeps the model loaded');
    expect(settingsPatchSchema.safeParse({ localModels: { contextTokens: 100 } }).success).toBe(false);
  });

  it('the stored settings still get their defaults', () => {
    expect(localModelSettingsSchema.parse({})).toEqual({ contextTokens: 8192, keepAlive: '10m', warmPrimary: true });
  });
});
