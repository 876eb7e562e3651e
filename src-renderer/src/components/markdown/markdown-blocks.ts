/** A top-level piece of a Markdown answer: a fenced code block, or Markdown to parse. */
export type MarkdownBlock =
  | { kind: 'markdown'; text: string }
  /** `closed` is false while the closing fence has not arrived yet (the answer is still streaming). */
  | { kind: 'code'; language: string | undefined; code: string; closed: boolean };

interface Fence {
  marker: string;
  indent: number;
}

const OPENING_FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

function openingFence(line: string): (Fence & { info: string }) | null {
  const match = OPENING_FENCE.exec(line);
  if (!match) return null;
  const marker = match[2]!;
  const info = match[3]!.trim();
  // CommonMark: a backtick fence's info string cannot contain a backtick.
  if (marker[0] === '`' && info.includes('`')) return null;
  return { marker, indent: match[1]!.length, info };
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return match !== null && match[1]![0] === fence.marker[0] && match[1]!.length >= fence.marker.length;
}

/**
 * Top-level Markdown blocks: split on blank lines, never inside a fenced code block and never
 * before an indented line (a list item's continuation). Finished blocks never change while an
 * answer streams, so only the last one is parsed again as text arrives.
 */
export function splitBlocks(text: string): string[] {
  return splitFrom(text, 0).blocks;
}

/** The blocks of `text` from `offset` on (a block start, or 0), each with the offset it starts at. */
function splitFrom(text: string, offset: number): { blocks: string[]; starts: number[] } {
  const lines = text.slice(offset).split('\n');
  const blocks: string[] = [];
  const starts: number[] = [];
  let current: string[] = [];
  let currentStart = offset;
  let lineStart = offset;
  let fence: Fence | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const thisLineStart = lineStart;
    lineStart += line.length + 1;
    if (fence === null) {
      const opened = openingFence(line);
      if (opened) fence = opened;
    } else if (closesFence(line, fence)) {
      fence = null;
      current.push(line);
      continue;
    }
    if (fence === null && line.trim() === '' && current.length > 0) {
      let next = index + 1;
      while (next < lines.length && lines[next]!.trim() === '') next += 1;
      const continues = next < lines.length && /^\s/.test(lines[next]!);
      if (!continues) {
        blocks.push(current.join('\n'));
        starts.push(currentStart);
        current = [];
        continue;
      }
    }
    if (current.length === 0) currentStart = thisLineStart;
    current.push(line);
  }
  if (current.length > 0) {
    blocks.push(current.join('\n'));
    starts.push(currentStart);
  }
  return { blocks, starts };
}

/**
 * A block that is exactly one fenced code block (open or closed) becomes a code block, so its code
 * goes straight to the highlighter without a Markdown parse; anything else stays Markdown.
 */
export function classifyBlock(block: string): MarkdownBlock {
  const lines = block.split('\n');
  const opened = openingFence(lines[0]!);
  if (!opened) return { kind: 'markdown', text: block };
  const body: string[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (closesFence(line, opened)) {
      // Text after the closing fence in the same block: leave the whole block to the Markdown parser.
      if (lines.slice(index + 1).some((rest) => rest.trim() !== '')) return { kind: 'markdown', text: block };
      const code = body.length === 0 ? '' : `${body.join('\n')}\n`;
      return { kind: 'code', language: languageOf(opened.info), code, closed: true };
    }
    // CommonMark: content lines lose up to as many leading spaces as the opening fence had.
    body.push(line.replace(new RegExp(`^ {0,${opened.indent}}`), ''));
  }
  // Still streaming: the last line may be partial, so no newline is added after it.
  return { kind: 'code', language: languageOf(opened.info), code: body.join('\n'), closed: false };
}

function languageOf(info: string): string | undefined {
  const word = info.split(/\s+/)[0];
  return word ? word : undefined;
}

/** The answer as blocks, each either Markdown or one fenced code block. */
export function markdownBlocks(text: string): MarkdownBlock[] {
  return splitBlocks(text).map(classifyBlock);
}

/**
 * The blocks of a streaming answer, split and classified again only from where they can still change:
 * when the text continues the previous one, every block but the last two is kept as it was (the same
 * objects). The last two may change: a blank line at the very end ends a block only until an indented
 * line arrives after it.
 */
export class StreamedBlocks {
  #text: string | null = null;
  #blocks: MarkdownBlock[] = [];
  #starts: number[] = [];

  of(text: string): MarkdownBlock[] {
    if (text === this.#text) return this.#blocks;
    const keep = this.#text !== null && text.startsWith(this.#text) ? Math.max(0, this.#blocks.length - 2) : 0;
    const from = keep === 0 ? 0 : this.#starts[keep]!;
    const rest = splitFrom(text, from);
    this.#text = text;
    this.#blocks = [...this.#blocks.slice(0, keep), ...rest.blocks.map(classifyBlock)];
    this.#starts = [...this.#starts.slice(0, keep), ...rest.starts];
    return this.#blocks;
  }
}
