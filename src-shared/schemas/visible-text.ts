// Names the user reads must show what they are: no direction overrides (U+202A-202E, U+2066-2069),
// zero-width or direction marks (U+200B-200F), byte-order marks (U+FEFF) or control characters
// (C0, DEL, C1), which can make one name look like another or reorder what is shown around it.
import type { z } from 'zod';

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const hiddenCharacter = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;

const hiddenCharacters = new RegExp(hiddenCharacter.source, 'gu');

/** The text with every hidden character taken out (for names saved before they were refused). */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(hiddenCharacters, '');
}

/** The first hidden character in text as `U+XXXX`, or undefined when every character shows. */
export function hiddenCharacterIn(text: string): string | undefined {
  const found = hiddenCharacter.exec(text)?.[0];
  return found === undefined ? undefined : `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The one refinement for user-given names: refuses hidden characters with a message naming the field. */
export function visibleText<T extends z.ZodString>(schema: T, field: string): T {
  return schema.superRefine((value, context) => {
    const hidden = hiddenCharacterIn(value);
    if (hidden) {
      context.addIssue({
        code: 'custom',
        message: `The ${field} contains an invisible or direction-changing character (${hidden}); type the ${field} again without it.`,
      });
    }
  }) as T;
}
