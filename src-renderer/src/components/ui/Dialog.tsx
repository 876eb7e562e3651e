import { useEffect, useRef, type ReactNode } from 'react';

/** A modal dialog: Esc closes it, focus starts inside it, the page behind is inert. */
export function Dialog(props: { title: string; onClose(): void; children: ReactNode; footer?: ReactNode; wide?: boolean }) {
  const panel = useRef<HTMLDivElement>(null);
  const { onClose } = props;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      previous?.focus();
    };
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div ref={panel} className={props.wide ? 'dialog dialog-wide' : 'dialog'} role="dialog" aria-modal="true" aria-label={props.title}>
        <header className="dialog-header">
          <h2>{props.title}</h2>
        </header>
        <div className="dialog-body">{props.children}</div>
        {props.footer ? <footer className="dialog-footer">{props.footer}</footer> : null}
      </div>
    </div>
  );
}
