import { describe, expect, it } from 'vitest';
import {
  formatDay,
  formatElapsed,
  formatFullMoment,
  formatListTime,
  formatMoment,
  formatTimeOfDay,
  formatTraceTimes,
  spansDays,
} from '../../../src-renderer/src/lib/date-time';

const HOUR = 3_600_000;
// Local times, so the day boundaries are the user's, whatever zone the test runs in.
const morning = new Date(2026, 4, 14, 9, 5, 7).getTime();
const lateEvening = new Date(2026, 4, 14, 23, 30).getTime();
const nextDay = new Date(2026, 4, 15, 0, 30).getTime();

describe('Activity moments', () => {
  it('a range within one local calendar day does not span days; crossing midnight does', () => {
    expect(spansDays(morning - HOUR, morning)).toBe(false);
    expect(spansDays(morning, lateEvening)).toBe(false);
    expect(spansDays(lateEvening, nextDay)).toBe(true);
    expect(spansDays(morning - 24 * HOUR, morning)).toBe(true);
    expect(spansDays(morning - 7 * 24 * HOUR, morning)).toBe(true);
  });

  it('shows the time alone within a day and the date with it across days', () => {
    const time = formatMoment(morning, false);
    const dated = formatMoment(morning, true);
    expect(time).toMatch(/09:05:07/);
    expect(time).not.toMatch(/14|May/);
    expect(dated).toMatch(/09:05:07/);
    expect(dated).toMatch(/May/);
    expect(dated).toMatch(/14/);
    expect(formatMoment(morning, true)).not.toBe(formatMoment(morning + 24 * HOUR, true));
  });

  it('a moment on its own carries its year', () => {
    expect(formatFullMoment(morning)).toMatch(/2026/);
  });
});

describe('one time format', () => {
  const clock = (at: number) => formatMoment(at, false);
  const now = new Date(2026, 11, 2, 15, 0).getTime();
  it.each([
    ['earlier today', new Date(2026, 11, 2, 9, 5).getTime(), /^09:05( AM)?$/],
    ['yesterday: its weekday', new Date(2026, 11, 1, 9, 5).getTime(), /^Tue$/],
    ['five days ago: its weekday', new Date(2026, 10, 27, 9, 5).getTime(), /^Fri$/],
    ['this year: month and day', new Date(2026, 5, 14, 9, 5).getTime(), /^Jun 14$/],
    ['an earlier year: with the year', new Date(2025, 5, 14, 9, 5).getTime(), /^Jun 14, 2025$/],
  ])('a list row from %s', (_case, at, expected) => {
    expect(formatListTime(at, now)).toMatch(expected);
  });

  it.each([
    [0, '+0 ms'],
    [320, '+320 ms'],
    [1_240, '+1.2 s'],
    [65_000, '+1 min 5 s'],
    [-5, '+0 ms'],
  ])('%s ms after the start reads %s', (ms, expected) => {
    expect(formatElapsed(ms)).toBe(expected);
  });

  it.each([
    ['one line: its clock time', [{ at: morning }], [clock(morning)]],
    [
      'later lines: time since the start',
      [{ at: morning }, { at: morning + 1_200 }, { at: morning + 3_450 }],
      [clock(morning), '+1.2 s', '+3.5 s'],
    ],
    [
      'a new run starts counting again from its own clock time',
      [{ at: morning }, { at: morning + 500 }, { at: morning + 60_000, startsRun: true }, { at: morning + 62_000 }],
      [clock(morning), '+500 ms', clock(morning + 60_000), '+2.0 s'],
    ],
    ['no lines', [], []],
  ])('trace times: %s', (_case, lines, expected) => {
    expect(formatTraceTimes(lines)).toEqual(expected);
  });

  it('a day on a chart axis and a time of day carry no seconds', () => {
    expect(formatDay(morning)).toMatch(/^May 14$/);
    expect(formatTimeOfDay(morning)).toMatch(/^09:05( AM)?$/);
    expect(formatFullMoment(morning)).toMatch(/9:05/);
    expect(formatFullMoment(morning)).not.toMatch(/9:05:07/);
  });
});
