import { isWebAddress } from '../../../../src-shared/schemas/external-link';
import type { AnswerSource } from '../../../../src-shared/schemas/chat-message';
import './sources.css';

/** "en.wikipedia.org" from a URL; the URL itself when it does not parse. */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

/**
 * The sources a provider cited for an answer, numbered as the answer's [1], [2] markers refer to
 * them. Links open in the OS browser through the same guard as links in the answer.
 */
export function SourceList(props: { sources: readonly AnswerSource[]; onOpenLink(url: string): void }) {
  if (props.sources.length === 0) return null;
  return (
    <section className="source-list" aria-label="Sources">
      <h4 className="source-list-title">Sources</h4>
      <ol>
        {props.sources.map((source, index) => (
          <li key={`${index}-${source.url}`} data-testid="answer-source">
            <span className="source-number">[{index + 1}]</span>
            <span className="source-body">
              {isWebAddress(source.url) ? (
                <a
                  href={source.url}
                  title={source.url}
                  onClick={(event) => {
                    event.preventDefault();
                    props.onOpenLink(source.url);
                  }}
                >
                  {source.title ?? hostOf(source.url)}
                </a>
              ) : (
                <span>{source.title ?? source.url}</span>
              )}
              <span className="source-meta">
                {hostOf(source.url)}
                {source.date ? ` · ${source.date}` : ''}
              </span>
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
