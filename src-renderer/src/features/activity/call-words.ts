/** An ordinal in words: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st. */
function ordinal(value: number): string {
  const teens = value % 100 >= 11 && value % 100 <= 13;
  const suffix = teens ? 'th' : (['th', 'st', 'nd', 'rd'][value % 10] ?? 'th');
  return `${value}${suffix}`;
}

/** Where the provider stood in the call's list of providers and which attempt on it: "1st", "2nd, try 3". */
export function choiceWords(fallbackPosition: number, attempt: number): string {
  const choice = ordinal(fallbackPosition + 1);
  return attempt > 1 ? `${choice}, try ${attempt}` : choice;
}
