import { describe, expect, it } from 'vitest';
import { agentSchema } from '../../../src-shared/schemas/agent';
import { connectionPatchSchema, newConnectionInputSchema } from '../../../src-shared/schemas/connection-input';
import { hiddenCharacterIn } from '../../../src-shared/schemas/visible-text';
import { settingsFromConfig } from '../../../src-main/config/config-file';

const hidden: Array<[string, string]> = [
  ['\u202A', 'U+202A'],
  ['\u202E', 'U+202E'],
  ['\u2066', 'U+2066'],
  ['\u2069', 'U+2069'],
  ['\u200B', 'U+200B'],
  ['\u200F', 'U+200F'],
  ['\uFEFF', 'U+FEFF'],
  ['\u0000', 'U+0000'],
  ['\u0007', 'U+0007'],
  ['\u007F', 'U+007F'],
  ['\u0085', 'U+0085'],
  ['\u009F', 'U+009F'],
];

const firstMessage = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message;

describe('names refuse invisible and direction-changing characters (one refinement for connections and agents)', () => {
  it.each(hidden)('a connection name with %j is refused, naming the field and the character', (character, code) => {
    const result = newConnectionInputSchema.safeParse({
      kind: 'openai',
      name: `Open${character}AI`,
      baseUrl: 'https://api.openai.com/v1',
      defaultModel: 'gpt-4o',
    });
    expect(result.success).toBe(false);
    expect(firstMessage(result)).toBe(
      `The connection name contains an invisible or direction-changing character (${code}); type the connection name again without it.`,
    );
    expect(connectionPatchSchema.safeParse({ id: 'openai', name: `x${character}y` }).success).toBe(false);
  });

  it.each(hidden)('an agent name with %j is refused, naming the field', (character, code) => {
    const result = agentSchema.safeParse({ name: `build${character}er` });
    expect(result.success).toBe(false);
    expect(firstMessage(result)).toContain(`The agent name contains an invisible or direction-changing character (${code})`);
  });

  it('keeps ordinary names, accents, emoji and scripts written right to left', () => {
    for (const name of ['OpenAI main', 'Café GPU box', 'Claude 🚀', 'שרת מקומי', 'خادم']) {
      expect(newConnectionInputSchema.safeParse({ kind: 'openai', name, baseUrl: 'https://x.example/v1', defaultModel: 'm' }).success).toBe(
        true,
      );
    }
    expect(agentSchema.safeParse({ name: 'vision_agent-2' }).success).toBe(true);
    expect(hiddenCharacterIn('plain')).toBeUndefined();
  });

  it('the headless config names the field too', () => {
    expect(() =>
      settingsFromConfig({
        connections: [{ id: 'a', kind: 'openai', name: 'evil\u202Etxt.exe', defaultModel: 'm' }],
        primaryConnectionId: 'a',
      }),
    ).toThrow(/connections\[0\]\.name: The connection name contains an invisible or direction-changing character \(U\+202E\)/);
  });
});
