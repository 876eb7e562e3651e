// Small formatting helpers for the chat: previews, counts, search highlights, shortcut names.

/** A list preview without the Markdown punctuation a raw answer starts with ("## Title", "**bold**"). */
export function plainPreview(text: string): string {
  return text
    .replace(/```\w*/g, ' ')
    .replace(/(^|\s)#{1,6}\s+/g, '$1')
    .replace(/[*_`>|]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function formatCount(value: number): string {
  return value.toLocaleString();
}

export { formatBytes } from '../../lib/image-attachments';

/** Splits a snippet into plain and highlighted pieces from [start, end) ranges (overlaps merged). */
export function highlightPieces(text: string, ranges: ReadonlyArray<readonly [number, number]>): Array<{ text: string; match: boolean }> {
  const sorted = [...ranges].filter(([start, end]) => end > start).sort((left, right) => left[0] - right[0]);
  const pieces: Array<{ text: string; match: boolean }> = [];
  let cursor = 0;
  for (const [rawStart, rawEnd] of sorted) {
    const start = Math.max(rawStart, cursor);
    const end = Math.min(rawEnd, text.length);
    if (end <= start) continue;
    if (start > cursor) pieces.push({ text: text.slice(cursor, start), match: false });
    pieces.push({ text: text.slice(start, end), match: true });
    cursor = end;
  }
  if (cursor < text.length) pieces.push({ text: text.slice(cursor), match: false });
  return pieces;
}

export { isMac, shortcut } from '../../lib/keys';

const tierNames = { haiku: 'Haiku', sonnet: 'Sonnet', opus: 'Opus' } as const;
export const claudeTierName = (tier: keyof typeof tierNames) => tierNames[tier];
