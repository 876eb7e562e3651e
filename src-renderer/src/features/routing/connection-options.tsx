import type { ConnectionView } from '../../../../src-shared/schemas/connection-input';

/** Why an entry pointing at this connection would not match right now, or null when it would. */
export function notMatchingReason(connectionId: string, connections: ConnectionView[]): string | null {
  const view = connections.find((candidate) => candidate.connection.id === connectionId);
  if (!view) return 'Not matching: this provider was removed';
  if (!view.connection.enabled) return 'Not matching: this provider is turned off';
  if (view.health.color === 'red') return `Skipped while failing: ${view.health.reason}`;
  return null;
}

/** A provider picker that keeps showing a connection that no longer exists, marked as removed. */
export function ConnectionSelect(props: {
  value: string;
  connections: ConnectionView[];
  onChange(connectionId: string): void;
  label: string;
  invalid?: boolean;
}) {
  const known = props.connections.some((view) => view.connection.id === props.value);
  return (
    <select
      aria-label={props.label}
      aria-invalid={props.invalid ? 'true' : undefined}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value)}
    >
      {!known ? <option value={props.value}>{props.value ? `${props.value} (removed)` : 'Choose a provider…'}</option> : null}
      {props.connections.map((view) => (
        <option key={view.connection.id} value={view.connection.id}>
          {view.connection.name}
        </option>
      ))}
    </select>
  );
}

export function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Number inputs: an empty box is NaN, which the schema refuses with a message next to the field. */
export function numberFrom(raw: string): number {
  return raw.trim() === '' ? Number.NaN : Number(raw);
}

export function optionalNumberFrom(raw: string): number | null {
  return raw.trim() === '' ? null : Number(raw);
}
