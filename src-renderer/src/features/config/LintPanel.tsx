import { CircleAlert, CircleCheck, TriangleAlert } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import type { LintFinding, LintTarget } from '../../../../src-shared/schemas/config-lint';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import './config.css';

const noFindings: LintFinding[] = [];

/** Findings about one rule, tier (entry), route (target) or agent: for a badge where the problem is. */
export function useFindingsFor(target: LintTarget): LintFinding[] {
  const findings = useConfigDraftStore((state) => state.view?.findings ?? noFindings);
  return findings.filter(
    (finding) => finding.target.kind === target.kind && finding.target.id === target.id && finding.target.entry === target.entry,
  );
}

/** The words of a finding, the same in the Checks panel and behind a badge. */
function FindingText({ finding }: { finding: LintFinding }) {
  return (
    <div>
      <strong>{finding.title}</strong>
      <p>{finding.happens}</p>
      <p className="lint-fix">Fix: {finding.fix}</p>
    </div>
  );
}

function FindingIcon({ finding, size }: { finding: Pick<LintFinding, 'severity'>; size: number }) {
  return finding.severity === 'error' ? <CircleAlert size={size} aria-hidden /> : <TriangleAlert size={size} aria-hidden />;
}

/** A small badge where the problem is; it opens the finding's words (those of the Checks panel). */
export function LintBadge({ target }: { target: LintTarget }) {
  const findings = useFindingsFor(target);
  // Where the words open: fixed to the window, so a scrolling table does not cut them off.
  const [place, setPlace] = useState<{ top: number; left: number } | null>(null);
  const open = place !== null;
  const id = useId();
  const anchor = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent) => {
      if (!anchor.current?.contains(event.target as Node)) setPlace(null);
    };
    const close = () => setPlace(null);
    document.addEventListener('mousedown', outside);
    window.addEventListener('scroll', close, true);
    window.addEventListener('resize', close);
    return () => {
      document.removeEventListener('mousedown', outside);
      window.removeEventListener('scroll', close, true);
      window.removeEventListener('resize', close);
    };
  }, [open]);
  const toggle = (button: HTMLElement) => {
    if (open) return setPlace(null);
    const box = button.getBoundingClientRect();
    setPlace({ top: box.bottom + 6, left: Math.max(8, Math.min(box.left, window.innerWidth - 380)) });
  };
  if (findings.length === 0) return null;
  const error = findings.some((finding) => finding.severity === 'error');
  const label = findings.length === 1 ? (error ? 'Problem' : 'Check') : `${findings.length} findings`;
  return (
    <span className="lint-anchor" ref={anchor}>
      <button
        type="button"
        className={error ? 'badge lint-badge lint-error' : 'badge lint-badge lint-warning'}
        aria-expanded={open}
        aria-controls={id}
        aria-label={`${label}: ${findings.map((finding) => finding.title).join('; ')}`}
        data-testid="lint-badge"
        onClick={(event) => toggle(event.currentTarget)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open) {
            event.stopPropagation();
            setPlace(null);
          }
        }}
      >
        <FindingIcon finding={{ severity: error ? 'error' : 'warning' }} size={12} />
        {label}
      </button>
      {place ? (
        <div id={id} className="lint-popover" role="group" aria-label="What the checks found here" style={place}>
          {findings.map((finding, index) => (
            <div key={index} className={`lint-item lint-${finding.severity}`}>
              <FindingIcon finding={finding} size={16} />
              <FindingText finding={finding} />
            </div>
          ))}
        </div>
      ) : null}
    </span>
  );
}

/** Settings -> Routing: everything that will not work as expected, each with what happens and the fix. */
export function LintPanel() {
  const findings = useConfigDraftStore((state) => state.view?.findings ?? noFindings);
  const dirty = useConfigDraftStore((state) => state.view?.dirty ?? false);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return (
    <section className="settings-section" aria-labelledby="lint-title">
      <div className="section-header">
        <div>
          <h2 id="lint-title">Checks</h2>
          <p className="section-help">
            What in your routing will not work the way you might expect, and how to fix it.
            {dirty ? ' Checked on your unsaved changes.' : ''}
          </p>
        </div>
        {findings.length > 0 ? (
          <span className={errors > 0 ? 'badge lint-badge lint-error' : 'badge lint-badge lint-warning'}>
            {errors > 0 ? `${errors} error${errors === 1 ? '' : 's'}` : ''}
            {errors > 0 && findings.length > errors ? ', ' : ''}
            {findings.length > errors ? `${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}` : ''}
          </span>
        ) : null}
      </div>
      {findings.length === 0 ? (
        <p className="lint-clean">
          <CircleCheck size={16} aria-hidden /> No problems found.
        </p>
      ) : (
        <ul className="lint-list" aria-label="Findings">
          {findings.map((finding, index) => (
            <li key={index} className={`lint-item lint-${finding.severity}`}>
              <FindingIcon finding={finding} size={16} />
              <FindingText finding={finding} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
