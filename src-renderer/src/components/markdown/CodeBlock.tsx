import type { RootContent } from 'hast';
import { Check, Copy } from 'lucide-react';
import { memo, useEffect, useState, type ReactNode } from 'react';
import { CodeHighlighter, type CodeChunk, type Highlight } from './code-highlighter';

function className(value: unknown): string | undefined {
  return Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : undefined;
}

/** The highlighter's tree as React elements: spans with `hljs-` classes around text, nothing else. */
function renderNodes(nodes: RootContent[]): ReactNode[] {
  return nodes.map((node, index) =>
    node.type === 'text' ? (
      node.value
    ) : node.type === 'element' ? (
      <span key={index} className={className(node.properties.className)}>
        {renderNodes(node.children)}
      </span>
    ) : null,
  );
}

/** One chunk of lines; a frozen chunk is the same object on every update, so it never renders again. */
const CodeChunkView = memo(function CodeChunkView({ chunk }: { chunk: CodeChunk }) {
  // A block of its own: the browser lays out only the chunk whose text changed, not every line of the block.
  return <span className="code-chunk">{renderNodes(chunk.nodes)}</span>;
});

/**
 * A fenced code block with its language, a Copy button and syntax highlighting that, while the
 * block streams, highlights only the lines that changed.
 */
export function CodeBlock(props: {
  code: string;
  language: string | undefined;
  highlight: Highlight;
  onCopy(text: string): Promise<boolean>;
}) {
  const [highlighter] = useState(() => new CodeHighlighter(props.highlight));
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1_500);
    return () => clearTimeout(timer);
  }, [copied]);
  const chunks = highlighter.chunks(props.code, props.language);
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span>{props.language ?? 'code'}</span>
        <button
          type="button"
          className="code-copy"
          aria-label="Copy code"
          onClick={() => void props.onCopy(props.code.replace(/\n$/, '')).then((done) => done && setCopied(true))}
        >
          {copied ? <Check size={14} /> : <Copy size={14} />} {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code className={props.language ? `hljs language-${props.language}` : undefined}>
          {chunks.map((chunk, index) => (
            <CodeChunkView key={index} chunk={chunk} />
          ))}
        </code>
      </pre>
    </div>
  );
}
