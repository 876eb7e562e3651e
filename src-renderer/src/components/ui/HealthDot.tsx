import { useId } from 'react';
import { formatMoment } from '../../lib/date-time';
import type { ConnectionHealth } from '../../../../src-shared/schemas/health';

const colorWords: Record<ConnectionHealth['color'], string> = {
  grey: 'Not checked yet',
  green: 'Healthy',
  yellow: 'Recent failure',
  red: 'Failing: skipped by routing',
};

function clock(at: number | null): string | null {
  return at === null ? null : formatMoment(at, false);
}

/** The lines of the dot's tooltip: what the color means, the last error, since when, next probe. */
export function healthDetails(health: ConnectionHealth): string[] {
  // On trial carries its own words ("On trial: ..."); the color word would only repeat them.
  const lines = [health.onTrial ? health.reason : `${colorWords[health.color]}: ${health.reason}`];
  if (health.lastError && health.color !== 'green') lines.push(`Last error: ${health.lastError.message}`);
  const since = clock(health.since);
  if (since && health.color !== 'grey') lines.push(`Since ${since}`);
  const next = clock(health.nextProbeAt);
  if (next && health.color === 'red') lines.push(`Next check at ${next}`);
  const coolOff = health.coolOff;
  if (coolOff && coolOff.until > Date.now()) lines.push(`It ${coolOff.reason}: skipped by routing until ${clock(coolOff.until)}`);
  return lines;
}

/**
 * A connection's health as a shape as well as a colour (a filled circle when healthy, a triangle after a
 * recent failure, a diamond while failing, a hollow ring before any check), named for screen readers. Its
 * details show on hover and on keyboard focus.
 */
export function HealthDot({ health }: { health: ConnectionHealth }) {
  const details = healthDetails(health);
  const tipId = useId();
  return (
    <span className="health-indicator">
      <button
        type="button"
        className={`health-dot health-${health.color}`}
        aria-label={details[0]}
        aria-describedby={tipId}
        data-color={health.color}
      />
      <span role="tooltip" id={tipId} className="health-tip">
        {details.map((line) => (
          <span key={line}>{line}</span>
        ))}
      </span>
    </span>
  );
}
