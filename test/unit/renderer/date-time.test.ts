import { describe, expect, it } from 'vitest';
import { formatFullMoment, formatMoment, spansDays } from '../../../src-renderer/src/lib/date-time';

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
