import { useEffect, useId, useRef, type ReactNode } from 'react';

const focusable =
  'a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal dialog: Esc closes it, focus starts inside it and Tab keeps it there, the title labels it. */
export function Dialog(props: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** Where focus starts (a CSS selector inside the dialog); the first field or button otherwise. */
  initialFocus?: string;
}) {
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const { initialFocus } = props;
  // The latest onClose, so a parent that passes a new function each render does not move the focus.
  const close = useRef(props.onClose);
  useEffect(() => {
    close.current = props.onClose;
  });
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const start = initialFocus ? panel.current?.querySelector<HTMLElement>(initialFocus) : null;
    (start ?? panel.current?.querySelector<HTMLElement>('input, select, textarea, button'))?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close.current();
      if (event.key !== 'Tab' || !panel.current) return;
      // Tab and Shift+Tab go round the dialog's own controls, never to the page behind it.
      const items = [...panel.current.querySelectorAll<HTMLElement>(focusable)];
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) return event.preventDefault();
      const inside = panel.current.contains(document.activeElement);
      if (event.shiftKey && (document.activeElement === first || !inside)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
        event.preventDefault();
        first.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, [initialFocus]);
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && props.onClose()}>
      <div ref={panel} className={props.wide ? 'dialog dialog-wide' : 'dialog'} role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
        </header>
        <div className="dialog-body">{props.children}</div>
        {props.footer ? <footer className="dialog-footer">{props.footer}</footer> : null}
      </div>
    </div>
  );
}
