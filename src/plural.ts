/**
 * A count in a sentence a person reads ("1 claim", "2 claims", "1,000 links"): the one rule for when a word takes
 * its plural, so no output says "1 claims". Counts are grouped the en-US way, as the report's numbers are.
 */
const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** `count` and the word for it: `one` for exactly one, else `many` (default: `one` + "s"). */
export function plural(count: number | bigint, one: string, many = `${one}s`): string {
  return `${GROUPED.format(count)} ${count === 1 || count === 1n ? one : many}`;
}
