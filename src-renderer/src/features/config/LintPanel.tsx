import { CircleAlert, CircleCheck, TriangleAlert } from 'lucide-react';
import { useEffect } from 'react';
import type { LintFinding, LintTarget } from '../../../../src-shared/schemas/config-lint';
import { useConfigStore } from '../../stores/config-store';
import './config.css';

/** Findings about one rule, tier, route, agent or connection: for a badge next to it. */
export function useFindingsFor(target: LintTarget): LintFinding[] {
  const findings = useConfigStore((state) => state.findings);
  return findings.filter((finding) => finding.target.kind === target.kind && finding.target.id === target.id);
}

/** A small badge where the problem is; its title says what and how to fix it. */
export function LintBadge({ target }: { target: LintTarget }) {
  const findings = useFindingsFor(target);
  if (findings.length === 0) return null;
  const error = findings.some((finding) => finding.severity === 'error');
  return (
    <span
      className={error ? 'badge lint-badge lint-error' : 'badge lint-badge lint-warning'}
      title={findings.map((finding) => `${finding.title}. ${finding.happens} Fix: ${finding.fix}`).join('\n\n')}
      data-testid="lint-badge"
    >
      {error ? <CircleAlert size={12} aria-hidden /> : <TriangleAlert size={12} aria-hidden />}
      {findings.length === 1 ? (error ? 'Problem' : 'Check') : `${findings.length} findings`}
    </span>
  );
}

/** Settings -> Routing: everything that will not work as expected, each with what happens and the fix. */
export function LintPanel() {
  const { findings, loadFindings } = useConfigStore();
  useEffect(() => {
    void loadFindings();
  }, [loadFindings]);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  return (
    <section className="settings-section" aria-labelledby="lint-title">
      <div className="section-header">
        <div>
          <h2 id="lint-title">Checks</h2>
          <p className="section-help">What in your routing will not work the way you might expect, and how to fix it.</p>
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
              {finding.severity === 'error' ? <CircleAlert size={16} aria-hidden /> : <TriangleAlert size={16} aria-hidden />}
              <div>
                <strong>{finding.title}</strong>
                <p>{finding.happens}</p>
                <p className="lint-fix">Fix: {finding.fix}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
