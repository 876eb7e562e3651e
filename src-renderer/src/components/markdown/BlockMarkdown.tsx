import { memo, useState } from 'react';
import { Markdown, MarkdownCode } from './Markdown';
import { StreamedBlocks } from './markdown-blocks';

/**
 * Markdown rendered block by block, each block memoized: while an answer streams only its last
 * blocks are split and parsed again, a fenced code block skips the Markdown parser and highlights
 * only its new lines, and when the answer finishes nothing is parsed again (the blocks are the same).
 */
export const BlockMarkdown = memo(function BlockMarkdown(props: {
  text: string;
  onCopy(text: string): Promise<boolean>;
  onOpenLink(url: string): void;
}) {
  const [blocks] = useState(() => new StreamedBlocks());
  return (
    <div className="markdown-stream">
      {blocks
        .of(props.text)
        .map((block, index) =>
          block.kind === 'code' ? (
            <MarkdownCode key={index} code={block.code} language={block.language} onCopy={props.onCopy} />
          ) : (
            <Markdown key={index} text={block.text} onCopy={props.onCopy} onOpenLink={props.onOpenLink} />
          ),
        )}
    </div>
  );
});
