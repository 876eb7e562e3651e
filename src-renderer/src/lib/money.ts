/**
 * Dollars as the app shows them everywhere: "$1.25" from a dollar up, "$0.0012" for the usual
 * fractions of a cent, two significant digits below that ("$0.000035"), "$0" for nothing; an
 * unknown amount is "—", never $0.
 */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value < 0) return `-${formatUsd(-value)}`;
  if (value === 0) return '$0';
  if (value >= 1) return `$${value.toFixed(2)}`;
  if (value >= 0.0001) return `$${value.toFixed(4)}`;
  // Written out, never with an exponent: 0.0000354 -> "$0.000035".
  const digits = Math.min(12, 1 - Math.floor(Math.log10(value)));
  return `$${value.toFixed(digits).replace(/0+$/, '')}`;
}

/** A total that leaves out calls whose price is unknown is a lower bound, and says so. */
export function formatSpend(usd: number, unpricedCalls: number): string {
  return unpricedCalls > 0 ? `at least ${formatUsd(usd)}` : formatUsd(usd);
}

export function unpricedNote(unpricedCalls: number): string | undefined {
  if (unpricedCalls === 0) return undefined;
  return `${unpricedCalls} call${unpricedCalls === 1 ? '' : 's'} used a model whose price is unknown; set it in Settings → Providers → Models`;
}
