// Moments as the app lists them. Formatters are built once: building an Intl formatter costs far more
// than using one, and a table formats every row.
const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayAndClockTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const fullDateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function localDay(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** Whether a time range covers more than one local calendar day, so its moments need their dates. */
export function spansDays(from: number, to: number): boolean {
  return localDay(from) !== localDay(to);
}

/** A moment in a list: the time alone when the list is within one day, with its date otherwise. */
export function formatMoment(at: number, withDate: boolean): string {
  return (withDate ? dayAndClockTime : clockTime).format(at);
}

/** A moment on its own (a detail view), always with its full date. */
export function formatFullMoment(at: number): string {
  return fullDateAndTime.format(at);
}
