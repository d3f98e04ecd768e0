/** How numbers read in the table and the HTML: one set of rules, so the two show the same figure the same way. */
import type { Ratios } from "./model";

const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/** Shown where a ratio has no denominator (no clicks, no claims). */
const NO_RATIO = "–";

export function formatCount(value: bigint): string {
  return GROUPED.format(value);
}

export function formatChange(value: bigint): string {
  return value > 0n ? `+${GROUPED.format(value)}` : GROUPED.format(value);
}

function formatPercent(value: number | null): string {
  return value === null ? NO_RATIO : `${ONE_DECIMAL.format(value * 100)}%`;
}

function formatPerClick(value: number | null): string {
  return value === null ? NO_RATIO : ONE_DECIMAL.format(value);
}

export const RATIO_FORMATS: Record<keyof Ratios, (value: number | null) => string> = {
  claimsPerClick: formatPercent,
  subscriptionsPerClaim: formatPercent,
  netPerClick: formatPerClick,
};

export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
