import { useEffect, useState } from 'react';
import { shortcut } from '../../lib/keys';
import { Dialog } from '../ui/Dialog';

/**
 * Every keyboard shortcut the app answers to, where it works and what it does. Kept next to the list's own
 * key so a new shortcut is added here when it is added to a view.
 */
export const appShortcuts: ReadonlyArray<{ area: string; keys: string; does: string }> = [
  { area: 'Anywhere', keys: shortcut('/'), does: 'Show this list of shortcuts' },
  { area: 'Anywhere', keys: shortcut(','), does: 'Open Settings' },
  { area: 'Anywhere', keys: 'Esc', does: 'Close the dialog or drawer that is open' },
  { area: 'Anywhere', keys: `${shortcut('+')} / ${shortcut('-')} / ${shortcut('0')}`, does: 'Zoom in, zoom out, actual size' },
  { area: 'Chat', keys: shortcut('N'), does: 'Start a new chat' },
  { area: 'Chat', keys: shortcut('K'), does: 'Search conversations' },
  { area: 'Chat', keys: shortcut('B'), does: 'Show or hide the conversation list' },
  { area: 'Chat', keys: 'Enter', does: 'Send the message' },
  { area: 'Chat', keys: 'Shift+Enter', does: 'New line in the message' },
  { area: 'Chat', keys: 'Esc', does: 'Stop the answer being written' },
  { area: 'Chat', keys: 'Enter / Esc', does: 'Send or cancel an edited message' },
  { area: 'Tasks', keys: shortcut('Enter'), does: 'Run the new task' },
];

/** Ctrl+/ (⌘/ on a Mac) opens the list from anywhere in the app; Esc or Close shuts it. */
export function ShortcutsDialog() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const command = event.ctrlKey || event.metaKey;
      if (command && !event.altKey && (event.key === '/' || event.code === 'Slash')) {
        event.preventDefault();
        setOpen((shown) => !shown);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  const close = () => setOpen(false);
  return (
    <Dialog
      title="Keyboard shortcuts"
      onClose={close}
      footer={
        <button type="button" className="button-primary" onClick={close}>
          Close
        </button>
      }
    >
      <div className="shortcuts-scroll" tabIndex={0} role="region" aria-label="Shortcut list">
        <table className="data-table shortcuts-table" data-testid="shortcuts">
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Keys</th>
              <th scope="col">What it does</th>
            </tr>
          </thead>
          <tbody>
            {appShortcuts.map((item) => (
              <tr key={`${item.area} ${item.keys} ${item.does}`}>
                <td>{item.area}</td>
                <td className="nowrap">
                  <kbd>{item.keys}</kbd>
                </td>
                <td>{item.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}
