import { Check, Copy } from 'lucide-react';
import { memo, useState, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';

/** Plain text of a rendered code element's children (highlighting wraps tokens in spans). */
function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) return textOf((node as { props: { children?: ReactNode } }).props.children);
  return '';
}

function CodeBlock({ children, onCopy }: { children: ReactNode; onCopy(text: string): Promise<boolean> }) {
  const [copied, setCopied] = useState(false);
  const code = children as { props?: { className?: string } };
  const language = /language-([\w-]+)/.exec(code?.props?.className ?? '')?.[1];
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span>{language ?? 'code'}</span>
        <button
          type="button"
          className="code-copy"
          aria-label="Copy code"
          onClick={() =>
            void onCopy(textOf(children).replace(/\n$/, '')).then((done) => {
              if (!done) return;
              setCopied(true);
              setTimeout(() => setCopied(false), 1_500);
            })
          }
        >
          {copied ? <Check size={14} /> : <Copy size={14} />} {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>{children}</pre>
    </div>
  );
}

/**
 * GitHub-flavoured Markdown (tables, task lists, strikethrough) with highlighted code blocks.
 * Raw HTML in model output is shown as text, never rendered; links open in the OS browser.
 */
export const Markdown = memo(function Markdown(props: {
  text: string;
  onCopy(text: string): Promise<boolean>;
  onOpenLink(url: string): void;
}) {
  const components: Components = {
    pre: ({ children }) => <CodeBlock onCopy={props.onCopy}>{children}</CodeBlock>,
    a: ({ href, children }) => (
      <a
        href={href}
        onClick={(event) => {
          event.preventDefault();
          if (href) props.onOpenLink(href);
        }}
      >
        {children}
      </a>
    ),
    table: ({ children }) => (
      <div className="table-scroll">
        <table>{children}</table>
      </div>
    ),
    img: ({ alt }) => <span className="md-image-placeholder">[image: {alt || 'no description'}]</span>,
  };
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeHighlight, { detect: false, ignoreMissing: true }]]}
        components={components}
      >
        {props.text}
      </ReactMarkdown>
    </div>
  );
});
