import type { ConfigChange } from '../../../../src-shared/schemas/config-history';

const signs: Record<ConfigChange['kind'], string> = { added: '+', changed: '~', removed: '−' };

/** What a version, an import or a rollback changes, one line each. */
export function ChangeList({ changes, empty }: { changes: readonly ConfigChange[]; empty: string }) {
  if (changes.length === 0) return <p className="empty-inline">{empty}</p>;
  return (
    <ul className="change-list">
      {changes.map((change, index) => (
        <li key={index} className={`change-${change.kind}`}>
          <span className="change-sign" aria-label={change.kind}>
            {signs[change.kind]}
          </span>
          <span>
            <strong>{change.subject}</strong>
            {change.detail ? `: ${change.detail}` : ` ${change.kind}`}
          </span>
        </li>
      ))}
    </ul>
  );
}
