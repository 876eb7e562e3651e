import { Markdown } from './Markdown';

/**
 * Top-level Markdown blocks: split on blank lines, never inside a fenced code block and never
 * before an indented line (a list item's continuation). Finished blocks never change while an
 * answer streams, so only the last one is parsed again as text arrives.
 */
export function splitBlocks(text: string): string[] {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === null) fence = marker[0]!;
      else if (marker[0] === fence) fence = null;
    }
    if (fence === null && line.trim() === '' && current.length > 0) {
      let next = index + 1;
      while (next < lines.length && lines[next]!.trim() === '') next += 1;
      const continues = next < lines.length && /^\s/.test(lines[next]!);
      if (!continues) {
        blocks.push(current.join('\n'));
        current = [];
        continue;
      }
    }
    current.push(line);
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

/**
 * Markdown rendered block by block, each block memoized: while an answer streams only its last
 * block is parsed again, and when it finishes nothing is (the blocks are the same).
 */
export function BlockMarkdown(props: { text: string; onCopy(text: string): Promise<boolean>; onOpenLink(url: string): void }) {
  const blocks = splitBlocks(props.text);
  return (
    <div className="markdown-stream">
      {blocks.map((block, index) => (
        <Markdown key={index} text={block} onCopy={props.onCopy} onOpenLink={props.onOpenLink} />
      ))}
    </div>
  );
}
