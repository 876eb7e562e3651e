/** `SWITCHBOARD_KEY_<CONNECTION_ID>`: the id upper-cased, anything not a letter or digit as `_`. */
export function keyVariableName(connectionId: string): string {
  return `SWITCHBOARD_KEY_${connectionId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
