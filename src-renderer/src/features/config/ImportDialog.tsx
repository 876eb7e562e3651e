import { Dialog } from '../../components/ui/Dialog';
import { useConfigStore } from '../../stores/config-store';
import { ChangeList } from './change-list';

/** The preview of an import or a rollback: nothing is applied until Apply is clicked. */
export function ImportDialog() {
  const { check, checkTitle, busy, error, file, apply, dismiss, choose, previewChoices } = useConfigStore();
  if (!check) return null;
  const footer = (
    <>
      <button type="button" className="button-secondary" onClick={dismiss}>
        {check.status === 'refused' ? 'Close' : 'Cancel'}
      </button>
      {check.status === 'ready' ? (
        <button type="button" className="button-primary" disabled={busy || check.preview.changes.length === 0} onClick={() => void apply()}>
          Apply as a new version
        </button>
      ) : null}
      {check.status === 'choose' ? (
        <button
          type="button"
          className="button-primary"
          disabled={busy || check.choices.some((choice) => !file?.assignments[choice.provider])}
          onClick={() => void previewChoices()}
        >
          Preview
        </button>
      ) : null}
    </>
  );
  return (
    <Dialog title={checkTitle} onClose={dismiss} footer={footer} wide>
      {check.status === 'refused' ? (
        <>
          <p>
            <strong>{check.refusal.fileName}</strong> cannot be imported, so nothing was changed:
          </p>
          <ul className="problem-list" role="alert">
            {check.refusal.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </>
      ) : null}
      {check.status === 'choose' ? (
        <>
          <p>Two or more of your providers are of the same kind. Choose which of yours each one in the file means.</p>
          {check.choices.map((choice) => (
            <label key={choice.provider} className="field">
              <span className="field-label">“{choice.provider}” in the file</span>
              <select value={file?.assignments[choice.provider] ?? ''} onChange={(event) => choose(choice.provider, event.target.value)}>
                <option value="" disabled>
                  Choose a provider
                </option>
                {choice.connections.map((connection) => (
                  <option key={connection.id} value={connection.id}>
                    {connection.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </>
      ) : null}
      {check.status === 'ready' ? (
        <>
          <p className="section-help">Nothing changes until you apply. Applying keeps the current configuration in the history.</p>
          <ChangeList changes={check.preview.changes} empty="This is the configuration you already have: nothing would change." />
          {check.preview.needKeys.length > 0 ? (
            <p className="notice-inline" role="status">
              Needs a key before it can answer: <strong>{check.preview.needKeys.join(', ')}</strong>. Add each key in Settings → Providers
              after applying. Keys are never part of a configuration file.
            </p>
          ) : null}
        </>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
