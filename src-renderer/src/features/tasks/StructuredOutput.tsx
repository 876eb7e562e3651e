// Structured output as a readable tree: objects and arrays fold, values wrap.

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="tree-null">null</span>;
  if (typeof value === 'string') return <span className="tree-string">{value}</span>;
  if (typeof value === 'number') return <span className="tree-number">{value}</span>;
  if (typeof value === 'boolean') return <span className="tree-boolean">{value ? 'true' : 'false'}</span>;
  return <span>{String(value)}</span>;
}

function summaryOf(value: unknown): string {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (isObject(value)) {
    // An object with a title-like field reads better by it than by its field count.
    const label = ['title', 'name', 'id'].map((key) => value[key]).find((field) => typeof field === 'string');
    const count = Object.keys(value).length;
    return typeof label === 'string' ? label : `${count} field${count === 1 ? '' : 's'}`;
  }
  return '';
}

function Node({ name, value, depth }: { name: string; value: unknown; depth: number }) {
  if (!Array.isArray(value) && !isObject(value)) {
    return (
      <li className="tree-leaf">
        <span className="tree-key">{name}</span>
        <Scalar value={value} />
      </li>
    );
  }
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [`${index + 1}`, item])
    : Object.entries(value);
  return (
    <li className="tree-branch">
      <details open={depth < 3}>
        <summary>
          <span className="tree-key">{name}</span>
          <span className="tree-summary">{summaryOf(value)}</span>
        </summary>
        {entries.length === 0 ? (
          <p className="tree-empty">{Array.isArray(value) ? 'empty list' : 'no fields'}</p>
        ) : (
          <ul className="tree">
            {entries.map(([key, item]) => (
              <Node key={key} name={key} value={item} depth={depth + 1} />
            ))}
          </ul>
        )}
      </details>
    </li>
  );
}

export function StructuredOutput({ value }: { value: unknown }) {
  const entries: Array<[string, unknown]> = isObject(value)
    ? Object.entries(value)
    : Array.isArray(value)
      ? value.map((item, index) => [`${index + 1}`, item])
      : [['value', value]];
  return (
    <ul className="tree tree-root" data-testid="structured-output">
      {entries.map(([key, item]) => (
        <Node key={key} name={key} value={item} depth={1} />
      ))}
    </ul>
  );
}
