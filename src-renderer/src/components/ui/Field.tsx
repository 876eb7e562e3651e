import { useId, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';

/** A labelled form control with its hint and, when something is wrong, the error right under it. */
export function Field(props: { label: string; hint?: ReactNode; error?: string | null; children: ReactElement<Record<string, unknown>> }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const control = cloneElement(props.children, {
    id,
    'aria-invalid': props.error ? 'true' : undefined,
    'aria-describedby': [props.error ? errorId : null, props.hint ? hintId : null].filter(Boolean).join(' ') || undefined,
  });
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {props.label}
      </label>
      {control}
      {props.error ? (
        <span className="field-error" id={errorId} role="alert">
          {props.error}
        </span>
      ) : null}
      {props.hint ? (
        <span className="field-hint" id={hintId}>
          {props.hint}
        </span>
      ) : null}
    </div>
  );
}
