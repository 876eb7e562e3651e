import type { ReactNode } from 'react';

export function ViewHeader(props: { title: string; subtitle?: string; actions?: ReactNode }) {
  return (
    <header className="view-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle ? <p className="view-subtitle">{props.subtitle}</p> : null}
      </div>
      {props.actions ? <div className="view-actions">{props.actions}</div> : null}
    </header>
  );
}
