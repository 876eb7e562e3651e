import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

const focusable =
  'a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Tab and Shift+Tab go round the controls inside `box`, never to the page behind it. */
function keepFocusInside(event: KeyboardEvent, box: HTMLElement): void {
  const items = [...box.querySelectorAll<HTMLElement>(focusable)];
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return event.preventDefault();
  const inside = box.contains(document.activeElement);
  if (event.shiftKey && (document.activeElement === first || !inside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * A modal dialog: Esc or a click on the backdrop closes it, focus starts inside it and Tab keeps it there,
 * the title labels it. A form that has typed input says so with `dirty`: Esc and the backdrop then ask
 * before discarding it (its own Cancel button still closes at once, since that is asked for by name).
 */
export function Dialog(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** Where focus starts (a CSS selector inside the dialog); the first field or button otherwise. */
  initialFocus?: string;
  /** The form holds input the user typed that closing would lose. */
  dirty?: boolean;
}) {
  const panel = useRef<HTMLDivElement>(null);
  const question = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const questionId = useId();
  const { initialFocus } = props;
  const [asking, setAsking] = useState(false);
  // The latest props, so a parent that passes a new function each render does not move the focus.
  const latest = useRef({ onClose: props.onClose, dirty: props.dirty ?? false, asking });
  useEffect(() => {
    latest.current = { onClose: props.onClose, dirty: props.dirty ?? false, asking };
  });
  /** Esc or the backdrop: close, unless that would lose typed input; then ask first. */
  const requestClose = useRef(() => {
    if (latest.current.dirty) setAsking(true);
    else latest.current.onClose();
  });
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const start = initialFocus ? panel.current?.querySelector<HTMLElement>(initialFocus) : null;
    (start ?? panel.current?.querySelector<HTMLElement>('input, select, textarea, button'))?.focus();
    const onKey = (event: KeyboardEvent) => {
      const box = latest.current.asking ? question.current : panel.current;
      if (event.key === 'Escape') {
        event.preventDefault();
        if (latest.current.asking) setAsking(false);
        else requestClose.current();
      }
      if (event.key === 'Tab' && box) keepFocusInside(event, box);
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, [initialFocus]);
  // The question takes the focus while it is open; "Keep editing" gives it back to the form.
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (asking) {
      returnTo.current = document.activeElement as HTMLElement | null;
      question.current?.querySelector<HTMLElement>('button')?.focus();
    } else if (returnTo.current) {
      returnTo.current.focus();
      returnTo.current = null;
    }
  }, [asking]);
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && requestClose.current()}>
      <div ref={panel} className={props.wide ? 'dialog dialog-wide' : 'dialog'} role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
        </header>
        <div className="dialog-body" inert={asking}>
          {props.children}
        </div>
        {props.footer ? (
          <footer className="dialog-footer" inert={asking}>
            {props.footer}
          </footer>
        ) : null}
        {asking ? (
          <div ref={question} className="discard-question" role="alertdialog" aria-modal="true" aria-labelledby={questionId}>
            <p id={questionId}>
              <strong>Discard what you typed?</strong> Closing now loses the changes in this form.
            </p>
            <div className="inline-actions">
              <button type="button" className="button-secondary" onClick={() => setAsking(false)}>
                Keep editing
              </button>
              <button type="button" className="button-danger" onClick={() => latest.current.onClose()}>
                Discard
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
