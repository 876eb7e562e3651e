/** Dollars as the app shows them: cents from $1 up, four decimals below; unknown is "—", never $0. */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}

/** A total that leaves out calls whose price is unknown is a lower bound, and says so. */
export function formatSpend(usd: number, unpricedCalls: number): string {
  return unpricedCalls > 0 ? `at least ${formatUsd(usd)}` : formatUsd(usd);
}

export function unpricedNote(unpricedCalls: number): string | undefined {
  if (unpricedCalls === 0) return undefined;
  return `${unpricedCalls} call${unpricedCalls === 1 ? '' : 's'} used a model whose price is unknown; set it in Settings → Providers → Models`;
}
