import { CircleDot } from 'lucide-react';
import { Dialog } from '../../components/ui/Dialog';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import { ChangeList } from './change-list';
import './config.css';

/** "3 unsaved changes", or what is still to fix, in words. */
function useUnsavedSummary(): { count: number; words: string } | null {
  const view = useConfigDraftStore((state) => state.view);
  const invalid = useConfigDraftStore((state) => Object.keys(state.errors).length > 0);
  if (!view?.dirty && !invalid) return null;
  // Some edits (rules reordered with equal priorities) change how work routes without a line of their own.
  const count = Math.max(view?.changes.length ?? 0, 1);
  const words = `${count} unsaved change${count === 1 ? '' : 's'}${invalid ? ', one of them not valid yet' : ''}`;
  return { count, words };
}

/** Shown over the routing and agent editors while they hold unsaved edits: what they are, Save and Discard. */
export function UnsavedChangesBar() {
  const { view, busy, error, save, discard } = useConfigDraftStore();
  const summary = useUnsavedSummary();
  if (!summary) return null;
  return (
    <div className="unsaved-bar" role="region" aria-label="Unsaved changes">
      <CircleDot size={16} aria-hidden />
      <strong data-testid="unsaved-count">{summary.words}</strong>
      <span className="muted">The Route preview and the checks use them; work routes this way once you save.</span>
      <span className="view-actions">
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void discard()}>
          Discard
        </button>
        <button type="button" className="button-primary" disabled={busy} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </span>
      {view && view.changes.length > 0 ? (
        <details>
          <summary>What Save applies</summary>
          <ChangeList changes={view.changes} empty="" />
        </details>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Asked when the user leaves the routing or agent editors with unsaved edits. */
export function LeaveDraftDialog() {
  const { leaving, view, busy, error, answerLeave } = useConfigDraftStore();
  const summary = useUnsavedSummary();
  if (!leaving) return null;
  const stay = () => void answerLeave('stay');
  return (
    <Dialog
      title="Save your routing changes?"
      onClose={stay}
      footer={
        <>
          <button type="button" className="button-quiet" onClick={stay}>
            Keep editing
          </button>
          <button type="button" className="button-secondary" disabled={busy} onClick={() => void answerLeave('discard')}>
            Discard
          </button>
          <button type="button" className="button-primary" disabled={busy} onClick={() => void answerLeave('save')}>
            Save
          </button>
        </>
      }
    >
      <p>
        You have {summary?.words ?? 'unsaved changes'} to routing and agents. Save applies them as a new version; Discard goes back to what
        is saved.
      </p>
      {view ? <ChangeList changes={view.changes} empty="" /> : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}
