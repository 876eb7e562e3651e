/** Words that ask for JSON where the provider has no (or only a schema-less) JSON mode. */
export function jsonOnlyInstruction(schema?: Record<string, unknown>): string {
  const base = 'Answer with JSON only: a single JSON value, no prose before or after it, no code fences.';
  if (!schema) return base;
  return `${base} The JSON must match this JSON Schema:\n${JSON.stringify(schema)}`;
}
