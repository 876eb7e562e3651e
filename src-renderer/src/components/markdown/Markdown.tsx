import { isValidElement, memo, useMemo, type ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { isWebAddress } from '../../../../src-shared/schemas/external-link';
import { CodeBlock } from './CodeBlock';
import { createLowlightHighlight } from './code-highlighter';

/** The grammars, compiled on first use per language; stateless between calls, so shared. */
const highlight = createLowlightHighlight();

/** Plain text of a rendered element's children. */
function textOf(node: ReactNode): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (isValidElement<{ children?: ReactNode }>(node)) return textOf(node.props.children);
  return '';
}

/** A `pre` from the Markdown parser (a code block inside a list or quote) as a highlighted CodeBlock. */
function codeOf(children: ReactNode): { code: string; language: string | undefined } {
  const code = isValidElement<{ className?: string; children?: ReactNode }>(children) ? children : null;
  return {
    code: textOf(code?.props.children ?? children),
    language: /language-([\w+#.-]+)/.exec(code?.props.className ?? '')?.[1],
  };
}

interface MarkdownProps {
  text: string;
  onCopy(text: string): Promise<boolean>;
  onOpenLink(url: string): void;
}

/**
 * GitHub-flavoured Markdown (tables, task lists, strikethrough) with highlighted code blocks.
 * Raw HTML in model output is never rendered; link targets go through react-markdown's URL filter
 * (no `javascript:`, `data:` and the like) and only web links open, in the OS browser after the
 * link prompt; images are not loaded.
 */
export const Markdown = memo(function Markdown(props: MarkdownProps) {
  const { onCopy, onOpenLink } = props;
  // Stable component types: new ones on every render would remount (and re-highlight) each code block.
  const components = useMemo<Components>(
    () => ({
      pre: ({ children }) => <CodeBlock {...codeOf(children)} highlight={highlight} onCopy={onCopy} />,
      a: ({ href, children }) =>
        href && isWebAddress(href) ? (
          <a
            href={href}
            title={href}
            onClick={(event) => {
              event.preventDefault();
              onOpenLink(href);
            }}
          >
            {children}
          </a>
        ) : (
          // javascript:, data: and other targets were emptied by the URL filter: the text stays, the link goes.
          <span className="md-dead-link">{children}</span>
        ),
      table: ({ children }) => (
        <div className="table-scroll">
          <table>{children}</table>
        </div>
      ),
      // Images are never loaded (a remote one would tell its server the answer was read): the
      // description shows, and a web image can be opened in the browser through the link prompt.
      img: ({ alt, src }) => {
        const label = `[image: ${alt || 'no description'}]`;
        if (typeof src !== 'string' || !isWebAddress(src)) return <span className="md-image-placeholder">{label}</span>;
        return (
          <a
            className="md-image-placeholder"
            href={src}
            title={src}
            onClick={(event) => {
              event.preventDefault();
              onOpenLink(src);
            }}
          >
            {label}
          </a>
        );
      },
    }),
    [onCopy, onOpenLink],
  );
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
        {props.text}
      </ReactMarkdown>
    </div>
  );
});

/** One fenced code block of an answer, rendered without a Markdown parse. */
export const MarkdownCode = memo(function MarkdownCode(props: {
  code: string;
  language: string | undefined;
  onCopy(text: string): Promise<boolean>;
}) {
  return (
    <div className="markdown">
      <CodeBlock code={props.code} language={props.language} highlight={highlight} onCopy={props.onCopy} />
    </div>
  );
});
