import { useLinkStore } from '../../stores/link-store';
import { Dialog } from '../ui/Dialog';
import './link-prompt.css';

/**
 * The one prompt every link in model output goes through: the full address, where it goes, and
 * nothing opens until the user says so. Esc or Cancel keeps it closed.
 */
export function LinkPromptDialog() {
  const prompt = useLinkStore((state) => state.prompt);
  const open = useLinkStore((state) => state.open);
  const cancel = useLinkStore((state) => state.cancel);
  if (!prompt) return null;
  const openable = !prompt.problem;
  return (
    <Dialog
      title={openable ? 'Open this link in your browser?' : 'This link cannot be opened'}
      onClose={cancel}
      initialFocus=".link-prompt-cancel"
      footer={
        <>
          <button type="button" className="button-secondary link-prompt-cancel" onClick={cancel}>
            {openable ? 'Cancel' : 'Close'}
          </button>
          {openable ? (
            <button type="button" className="button-primary" onClick={() => void open()}>
              Open in browser
            </button>
          ) : null}
        </>
      }
    >
      <p>
        {openable
          ? `The answer links to ${prompt.host ?? 'this address'}. Check the full address before you open it:`
          : `Switchboard did not open it: ${prompt.problem}.`}
      </p>
      <p className="link-prompt-url" aria-label="Full address">
        <code>{prompt.url}</code>
      </p>
      {prompt.error ? (
        <p className="form-error" role="alert">
          {prompt.error}
        </p>
      ) : null}
    </Dialog>
  );
}
