import { useState } from 'react';
import type { ConnectionView } from '../../../../src-shared/schemas/connection-input';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog';
import { Field } from '../../components/ui/Field';
import { useConnectionsStore } from '../../stores/connections-store';

export function DisconnectDialog({ view, onClose }: { view: ConnectionView; onClose(): void }) {
  const { connections, remove } = useConnectionsStore();
  const others = connections.filter((other) => other.connection.id !== view.connection.id);
  const needsSuccessor = view.isPrimary && others.length > 0;
  const [successor, setSuccessor] = useState(others[0]?.connection.id ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    const outcome = await remove(view.connection.id, needsSuccessor ? successor : undefined);
    setBusy(false);
    if (outcome.ok) onClose();
    else setError(outcome.error.message);
  };
  return (
    <ConfirmDialog
      title={`Disconnect ${view.connection.name}?`}
      confirmLabel="Disconnect"
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      <p>Its API key is deleted from your keychain.</p>
      {view.usedBy > 0 ? (
        <p>
          {view.usedBy} routing {view.usedBy === 1 ? 'entry points' : 'entries point'} to it. They are kept, shown as not matching, and work
          falls through to the next match or the Primary.
        </p>
      ) : null}
      {needsSuccessor ? (
        <Field label="New Primary" hint="Chat always answers from the Primary.">
          <select value={successor} onChange={(event) => setSuccessor(event.target.value)}>
            {others.map((other) => (
              <option key={other.connection.id} value={other.connection.id}>
                {other.connection.name}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {view.isPrimary && others.length === 0 ? <p>This is your only provider: chat and tasks stop until you add another.</p> : null}
    </ConfirmDialog>
  );
}
