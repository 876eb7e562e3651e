// Moments as the app shows them, one style per use, everywhere a user reads a time. Formatters are built
// once: building an Intl formatter costs far more than using one, and a table formats every row.
import { formatDuration } from './duration';

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayAndClockTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const fullDate = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const fullDateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function localDay(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** Whether a time range covers more than one local calendar day, so its moments need their dates. */
export function spansDays(from: number, to: number): boolean {
  return localDay(from) !== localDay(to);
}

/** A moment in a log (calls, events): to the second, with its date when the log spans days. */
export function formatMoment(at: number, withDate: boolean): string {
  return (withDate ? dayAndClockTime : clockTime).format(at);
}

/** A moment on its own (a detail view, a tooltip, under an answer): always with its full date. */
export function formatFullMoment(at: number): string {
  return fullDateAndTime.format(at);
}

/** "14:05": when something happened or will happen today ("Finished at", "Next check at"). */
export function formatTimeOfDay(at: number): string {
  return timeOfDay.format(at);
}

/** "Dec 2": a day on a chart axis. */
export function formatDay(at: number): string {
  return monthDay.format(at);
}

/** The time of a list row (conversations, tasks): a clock time today, a weekday this week, a date before. */
export function formatListTime(at: number, now = Date.now()): string {
  const date = new Date(at);
  if (localDay(at) === localDay(now)) return timeOfDay.format(date);
  const days = (now - at) / 86_400_000;
  if (days >= 0 && days < 6) return weekday.format(date);
  if (date.getFullYear() === new Date(now).getFullYear()) return monthDay.format(date);
  return fullDate.format(date);
}

/** A line of a trace after its first: how long after the start it happened ("+1.2 s", "+320 ms"). */
export function formatElapsed(ms: number): string {
  return `+${formatDuration(Math.max(0, ms))}`;
}

/**
 * The times down a trace: the clock time on the first line of each run, then how long after that run's
 * start each line happened, so the lines say what took time instead of repeating one clock time.
 */
export function formatTraceTimes(lines: ReadonlyArray<{ at: number; startsRun?: boolean }>): string[] {
  let runStart = lines[0]?.at ?? 0;
  return lines.map((line, index) => {
    if (index === 0 || line.startsRun) {
      runStart = line.at;
      return formatMoment(line.at, false);
    }
    return formatElapsed(line.at - runStart);
  });
}
