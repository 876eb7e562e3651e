import type { Root, RootContent } from 'hast';
import { describe, expect, it } from 'vitest';
import {
  CodeHighlighter,
  createLowlightHighlight,
  type CodeChunk,
  type Highlight,
} from '../../../src-renderer/src/components/markdown/code-highlighter';
import { classifyBlock, markdownBlocks, splitBlocks, StreamedBlocks } from '../../../src-renderer/src/components/markdown/markdown-blocks';

/** A TypeScript listing with a block comment and a template literal that both span a blank line. */
function listing(functions: number): string {
  const lines = ['import type { Candidate } from "./types";', ''];
  for (let index = 1; index <= functions; index += 1) {
    lines.push(
      '/**',
      ` * Filter ${index}.`,
      '',
      ' * The comment goes on after a blank line.',
      ' */',
      `export function filter${index}(list: Candidate[]): Candidate[] {`,
      `  const note = \`first line ${index}`,
      '',
      '  still inside the template ${list.length}`;',
      '  const kept: Candidate[] = [];',
      '  for (const item of list) {',
      "    if (item.health === 'red') continue; // skip",
      '    kept.push(item);',
      '  }',
      '',
      `  return note.length > ${index} ? kept : [];`,
      '}',
      '',
    );
  }
  return lines.join('\n');
}

/** Each character of the code with the highlight classes around it, to compare two highlightings. */
function classesPerCharacter(nodes: RootContent[], classes = ''): string[] {
  return nodes.flatMap((node) => {
    if (node.type === 'text') return [...node.value].map((character) => `${character}|${classes}`);
    if (node.type === 'element') {
      const own = ((node.properties.className as string[] | undefined) ?? []).join('.');
      return classesPerCharacter(node.children, `${classes}/${own}`);
    }
    return [];
  });
}

function chunksAsCharacters(chunks: CodeChunk[]): string[] {
  return chunks.flatMap((chunk) => classesPerCharacter(chunk.nodes));
}

function countingHighlight(): { highlight: Highlight; characters: () => number } {
  const inner = createLowlightHighlight();
  let characters = 0;
  return {
    highlight: (code, language): Root => {
      characters += code.length;
      return inner(code, language);
    },
    characters: () => characters,
  };
}

describe('Markdown blocks', () => {
  it('keeps a fenced code block with blank lines in one block and splits the prose around it', () => {
    const text = 'Intro\n\n```ts\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter **bold**\n\n- item\n\n  continued';
    expect(splitBlocks(text)).toEqual(['Intro', '```ts\nconst a = 1;\n\nconst b = 2;\n```', 'After **bold**', '- item\n\n  continued']);
    expect(markdownBlocks(text).map((block) => block.kind)).toEqual(['markdown', 'code', 'markdown', 'markdown']);
  });

  it('reads a closed, an unclosed (streaming) and an indented fence as code, and text after a fence as Markdown', () => {
    expect(classifyBlock('```ts title\nlet a;\n```')).toEqual({ kind: 'code', language: 'ts', code: 'let a;\n', closed: true });
    expect(classifyBlock('~~~~\nx\n~~~\nstill code')).toEqual({
      kind: 'code',
      language: undefined,
      code: 'x\n~~~\nstill code',
      closed: false,
    });
    expect(classifyBlock('```python\ndef f():\n    ret')).toEqual({
      kind: 'code',
      language: 'python',
      code: 'def f():\n    ret',
      closed: false,
    });
    expect(classifyBlock('  ```\n  a\n    b\n  ```')).toEqual({ kind: 'code', language: undefined, code: 'a\n  b\n', closed: true });
    expect(classifyBlock('```\ncode\n```\nA paragraph').kind).toBe('markdown');
    expect(classifyBlock('``not a fence``').kind).toBe('markdown');
    expect(classifyBlock('```a`b\nx').kind).toBe('markdown');
  });
});

describe('CodeHighlighter', () => {
  const code = listing(12);

  it('highlights a streaming block once per chunk: frozen chunks are reused, only the tail is highlighted again', () => {
    const counter = countingHighlight();
    const highlighter = new CodeHighlighter(counter.highlight);
    let previous: CodeChunk[] = [];
    let reused = 0;
    let lost = 0;
    for (let end = 5; end < code.length + 5; end += 5) {
      const chunks = highlighter.chunks(code.slice(0, end), 'ts');
      if (chunks.map((chunk) => chunk.text).join('') !== code.slice(0, end)) throw new Error(`Text lost at ${end}`);
      for (let index = 0; index < previous.length - 1; index += 1) {
        if (chunks[index] === previous[index]) reused += 1;
        else lost += 1;
      }
      previous = chunks;
    }
    expect(lost).toBe(0);
    expect(previous.length).toBeGreaterThan(5);
    expect(reused).toBeGreaterThan(1_000);
    // Re-highlighting from the start on every update would cost about steps x length / 2.
    const steps = Math.ceil(code.length / 5);
    expect(counter.characters()).toBeLessThan((steps * code.length) / 20);
    // The same text again highlights nothing.
    const before = counter.characters();
    expect(highlighter.chunks(code, 'ts')).toBe(previous);
    expect(counter.characters()).toBe(before);
  }, 30_000);

  it('cuts the finished block exactly as it cut it while streaming, and looks the same as highlighting it whole', () => {
    const streamed = new CodeHighlighter(createLowlightHighlight());
    for (let end = 7; end < code.length; end += 7) streamed.chunks(code.slice(0, end), 'ts');
    const streamedChunks = streamed.chunks(code, 'ts');
    const atOnce = new CodeHighlighter(createLowlightHighlight()).chunks(code, 'ts');
    expect(streamedChunks).toEqual(atOnce);
    const whole = createLowlightHighlight()(code, 'ts').children;
    expect(chunksAsCharacters(atOnce)).toEqual(classesPerCharacter(whole));
    // The comment and the template literal that span blank lines are highlighted as one.
    const characters = chunksAsCharacters(atOnce);
    expect(characters[code.lastIndexOf('The comment goes on')]).toContain('hljs-comment');
    expect(characters[code.lastIndexOf('still inside the template')]).toContain('hljs-string');
  }, 30_000);

  it('starts again when earlier text changes, and leaves an unknown language as plain text', () => {
    const highlighter = new CodeHighlighter(createLowlightHighlight());
    const first = highlighter.chunks(code, 'ts');
    const edited = highlighter.chunks(`// new first line\n${code}`, 'ts');
    expect(edited[0]).not.toBe(first[0]);
    expect(edited.map((chunk) => chunk.text).join('')).toBe(`// new first line\n${code}`);
    const plain = new CodeHighlighter(createLowlightHighlight()).chunks('<b>not html</b>\n', 'no-such-language');
    expect(plain).toEqual([{ text: '<b>not html</b>\n', nodes: [{ type: 'text', value: '<b>not html</b>\n' }] }]);
  });
});

describe('StreamedBlocks', () => {
  const answer = [
    '## Plan',
    '',
    'First a paragraph with **bold** and `code`.',
    '',
    '- a list item',
    '',
    '  continued after a blank line',
    '- another',
    '',
    '',
    '```ts',
    'const a = 1;',
    '',
    'const b = 2;',
    '```',
    '',
    '| a | b |',
    '| --- | --- |',
    '| 1 | 2 |',
    '',
    '~~~',
    'open fence to the end',
  ].join('\n');

  it('gives the same blocks as a full split at every step of a stream, keeping finished blocks as they were', () => {
    for (const step of [1, 2, 3, 5, 7, 13]) {
      const streamed = new StreamedBlocks();
      let previous: ReturnType<StreamedBlocks['of']> = [];
      for (let end = 0; end <= answer.length; end += step) {
        const text = answer.slice(0, end);
        const blocks = streamed.of(text);
        expect(blocks).toEqual(markdownBlocks(text));
        // Every block but the last two is the very object it was.
        for (let index = 0; index < Math.min(previous.length, blocks.length) - 2; index += 1) expect(blocks[index]).toBe(previous[index]);
        previous = blocks;
      }
      expect(streamed.of(answer)).toEqual(markdownBlocks(answer));
    }
  });

  it('starts again when the text does not continue the previous one (an edit, a regenerated answer)', () => {
    const streamed = new StreamedBlocks();
    streamed.of('One\n\nTwo\n\nThree\n\nFour');
    expect(streamed.of('Other\n\nText')).toEqual(markdownBlocks('Other\n\nText'));
    expect(streamed.of('')).toEqual(markdownBlocks(''));
  });
});
