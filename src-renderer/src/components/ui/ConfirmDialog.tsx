import type { ReactNode } from 'react';
import { Dialog } from './Dialog';

/**
 * "Are you sure?" for an action that cannot be taken back or that breaks something elsewhere (disconnect,
 * revoke, replace a token): the consequence in words, Cancel first, the action named on its button.
 */
export function ConfirmDialog(props: {
  title: string;
  /** What happens, in words; fields the action needs (a new Primary) go here too. */
  children: ReactNode;
  confirmLabel: string;
  /** Destructive actions are red; others use the primary colour. */
  tone?: 'danger' | 'primary';
  busy?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <Dialog
      title={props.title}
      onClose={props.onCancel}
      footer={
        <>
          <button type="button" className="button-secondary" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={props.tone === 'primary' ? 'button-primary' : 'button-danger'}
            disabled={props.busy}
            onClick={props.onConfirm}
          >
            {props.confirmLabel}
          </button>
        </>
      }
    >
      {props.children}
      {props.error ? (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      ) : null}
    </Dialog>
  );
}
