import type { Root, RootContent } from 'hast';
import { common, createLowlight } from 'lowlight';

/** A run of whole lines of a code block with its highlighted tree; frozen chunks never change. */
export interface CodeChunk {
  text: string;
  nodes: RootContent[];
}

/** Turns code in a language into a highlighted tree (hast, `hljs-` classes). */
export type Highlight = (code: string, language: string | undefined) => Root;

/** A chunk may end at a blank line once it has this many lines. */
const MIN_CHUNK_LINES = 8;
/** With no clean blank line, any line end is tried, every LONG_CHUNK_STEP lines from here on. */
const LONG_CHUNK_LINES = 40;
const LONG_CHUNK_STEP = 10;
/** A chunk ends here even inside a multi-line comment or string, to bound the work per update. */
const MAX_CHUNK_LINES = 200;

/** highlight.js through lowlight with the common grammars; unknown languages stay plain text. */
export function createLowlightHighlight(): Highlight {
  const lowlight = createLowlight(common);
  return (code, language) =>
    language && lowlight.registered(language)
      ? lowlight.highlight(language, code)
      : { type: 'root', children: [{ type: 'text', value: code }] };
}

/**
 * True when the highlighter ended this text outside every highlighted span, so what follows can
 * be highlighted on its own and look the same as when highlighted together with this text.
 */
function endsClean(tree: Root): boolean {
  const last = tree.children.at(-1);
  return last?.type === 'text' && last.value.endsWith('\n');
}

/**
 * Highlights a code block incrementally while it streams: the code is cut into chunks of whole
 * lines at points where the highlighter is back at the top level (preferably blank lines), each
 * chunk is highlighted once and then frozen, and only the unfinished tail is highlighted again
 * as text arrives. The cut points depend only on the text before them, so the finished block is
 * cut (and looks) exactly as it did while streaming, and rendering it again highlights nothing.
 */
export class CodeHighlighter {
  readonly #highlight: Highlight;
  #language: string | undefined;
  #frozen: CodeChunk[] = [];
  #frozenText = '';
  /** Offset after the frozen text up to which every possible cut point was already tried. */
  #triedUpTo = 0;
  #tail: CodeChunk | null = null;
  #lastCode: string | null = null;
  #lastChunks: CodeChunk[] = [];

  constructor(highlight: Highlight) {
    this.#highlight = highlight;
  }

  /** The chunks for this code; the same objects as last time for every chunk that did not change. */
  chunks(code: string, language: string | undefined): CodeChunk[] {
    if (code === this.#lastCode && language === this.#language) return this.#lastChunks;
    if (language !== this.#language || !code.startsWith(this.#frozenText)) this.#reset(language);
    this.#freeze(code);
    const rest = code.slice(this.#frozenText.length);
    if (rest.length === 0) this.#tail = null;
    else if (this.#tail?.text !== rest) this.#tail = { text: rest, nodes: this.#highlight(rest, language).children };
    this.#lastCode = code;
    this.#lastChunks = this.#tail ? [...this.#frozen, this.#tail] : [...this.#frozen];
    return this.#lastChunks;
  }

  #reset(language: string | undefined): void {
    this.#language = language;
    this.#frozen = [];
    this.#frozenText = '';
    this.#triedUpTo = 0;
    this.#tail = null;
  }

  /** Freezes every chunk that can be cut from the code after the frozen text. */
  #freeze(code: string): void {
    let rest = code.slice(this.#frozenText.length);
    let lines = 0;
    let lineStart = 0;
    for (let end = rest.indexOf('\n'); end !== -1; end = rest.indexOf('\n', lineStart)) {
      const line = rest.slice(lineStart, end);
      lineStart = end + 1;
      lines += 1;
      if (lineStart <= this.#triedUpTo) continue;
      this.#triedUpTo = lineStart;
      const candidate =
        lines >= MAX_CHUNK_LINES ||
        (lines >= MIN_CHUNK_LINES && line.trim() === '') ||
        (lines >= LONG_CHUNK_LINES && (lines - LONG_CHUNK_LINES) % LONG_CHUNK_STEP === 0);
      if (!candidate) continue;
      const text = rest.slice(0, lineStart);
      const tree = this.#highlight(text, this.#language);
      if (!endsClean(tree) && lines < MAX_CHUNK_LINES) continue;
      this.#frozen.push({ text, nodes: tree.children });
      this.#frozenText += text;
      rest = rest.slice(lineStart);
      lines = 0;
      lineStart = 0;
      this.#triedUpTo = 0;
    }
  }
}
