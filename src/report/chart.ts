/**
 * The report's two charts as inline SVG, written here rather than with a charting library: the charts are two
 * (a funnel bar per link, a line per account), the file must work offline with no script, and the libraries that
 * emit static SVG without a DOM (vega's headless renderer, d3 with jsdom) would add megabytes of dependencies for
 * what takes this one file. Sizes are in viewBox units; the SVG scales to the page width (phone or desk).
 */
import { escapeForDisplay } from "../fields";
import { plural } from "../plural";
import { formatCount } from "./format";
import { sumCounters, type Counters, type LinkRow, type TrendPoint } from "./model";

const WIDTH = 400;
const GROUP_HEIGHT = 50;
const BAR_HEIGHT = 14;
const LEGEND_HEIGHT = 22;
const LABEL_CHARS = 38;
/** The funnel's stages, widest first: drawn over one another, each shows how much of the one before remains. */
const STAGES = [
  { key: "clicks", one: "click", name: "clicks", color: "#c7d2fe" },
  { key: "claims", one: "claim", name: "claims", color: "#6366f1" },
  { key: "subscriptions", one: "subscription", name: "subscriptions", color: "#312e81" },
] as const;
const TREND_COLORS = ["#4f46e5", "#db2777", "#059669", "#d97706", "#0891b2", "#7c3aed", "#dc2626", "#65a30d"];

/** Text for HTML and SVG: markup escaped, and control or bidi characters from the API shown, not obeyed. */
export function escapeXml(text: string): string {
  return escapeForDisplay(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function shorten(text: string, chars: number): string {
  const codePoints = Array.from(text.replace(/\s+/g, " "));
  return codePoints.length <= chars ? codePoints.join("") : `${codePoints.slice(0, chars - 1).join("")}…`;
}

/** What the chart draws for a bar group: a link, or the links past the top N added together. */
export interface FunnelGroup {
  label: string;
  counters: Counters;
  /** data-* attributes identifying the group (tests and scripts find bars by them). */
  data: Record<string, string>;
}

function legend(): string {
  return STAGES.map(
    (stage, i) =>
      `<rect x="${i * 110}" y="4" width="10" height="10" fill="${stage.color}"/><text x="${i * 110 + 14}" y="13" class="small">${stage.name}</text>`,
  ).join("");
}

function barGroup(group: FunnelGroup, index: number, maxClicks: number): string {
  const top = LEGEND_HEIGHT + index * GROUP_HEIGHT;
  const attributes = Object.entries(group.data).map(([name, value]) => ` data-${name}="${escapeXml(value)}"`).join("");
  const bars = STAGES.map((stage) => {
    const value = group.counters[stage.key];
    // A stage with any count stays visible (1 unit) even beside a link with thousands of clicks.
    const width = value === 0n ? 0 : Math.max(1, (Number(value) / maxClicks) * WIDTH);
    return `<rect data-metric="${stage.key}" data-value="${value}" x="0" y="${top + 18}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${stage.color}"><title>${plural(value, stage.one, stage.name)}</title></rect>`;
  }).join("");
  const c = group.counters;
  return (
    `<g${attributes}>` +
    `<text x="0" y="${top + 13}">${escapeXml(shorten(group.label, LABEL_CHARS))}</text>` +
    `<text x="${WIDTH}" y="${top + 13}" text-anchor="end" class="strong">net ${formatCount(c.net)}</text>` +
    bars +
    `<text x="0" y="${top + 45}" class="small">${plural(c.clicks, "click")} → ${plural(c.claims, "claim")} → ${plural(c.subscriptions, "sub")} · ${plural(c.follows, "follow")}</text>` +
    `</g>`
  );
}

/** One bar group per link shown, plus one for the rest when there is a rest. */
export function funnelChart(groups: readonly FunnelGroup[]): string {
  // Drawing needs numbers, not exact ones: a bar's width is a ratio.
  const maxClicks = Math.max(1, ...groups.map((group) => Number(group.counters.clicks)));
  const height = LEGEND_HEIGHT + groups.length * GROUP_HEIGHT;
  return (
    `<svg class="chart" role="img" aria-label="Funnel per link: clicks, claims and subscriptions" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">` +
    legend() +
    groups.map((group, i) => barGroup(group, i, maxClicks)).join("") +
    `</svg>`
  );
}

/** Groups for the funnel chart: the top `limit` links as given (best first), and the rest summed into one. */
export function funnelGroups(links: readonly LinkRow[], limit: number, showAccount: boolean): FunnelGroup[] {
  const shown = links.slice(0, limit).map((link) => ({
    label: showAccount ? `${shorten(link.label, 24)} · ${shorten(link.accountId, 13)}` : link.label,
    counters: link.counters,
    data: { "link-group": "", "link-id": link.linkId, account: link.accountId },
  }));
  const rest = links.slice(limit);
  if (rest.length === 0) return shown;
  return [...shown, { label: `${plural(rest.length, "more link")}, together`, counters: sumCounters(rest.map((link) => link.counters)), data: { "rest-group": "", count: String(rest.length) } }];
}

const TREND_HEIGHT = 200;
const PAD = { left: 6, right: 6, top: 18, bottom: 22 };

/** One line per account of its links' lifetime net at each snapshot, and each account's colour for the legend. */
export function trendChart(trend: Readonly<Record<string, readonly TrendPoint[]>>): { svg: string; colors: [string, string][] } | undefined {
  const series = Object.entries(trend).filter(([, points]) => points.length >= 2);
  if (series.length === 0) return undefined;
  const times = series.flatMap(([, points]) => points.map((point) => Date.parse(point.takenAt)));
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const maxNet = Math.max(1, ...series.flatMap(([, points]) => points.map((point) => Number(point.net))));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = TREND_HEIGHT - PAD.top - PAD.bottom;
  const x = (time: number): number => PAD.left + (last === first ? plotWidth : ((time - first) / (last - first)) * plotWidth);
  const y = (net: number): number => PAD.top + plotHeight - (net / maxNet) * plotHeight;
  const colors: [string, string][] = series.map(([accountId], i) => [accountId, TREND_COLORS[i % TREND_COLORS.length] ?? "#000"]);
  const lines = series.map(([accountId, points], i) => {
    const color = colors[i]?.[1] ?? "#000";
    const xy = points.map((point) => [x(Date.parse(point.takenAt)).toFixed(1), y(Number(point.net)).toFixed(1)] as const);
    const dots = points
      .map((point, j) => `<circle cx="${xy[j]?.[0] ?? 0}" cy="${xy[j]?.[1] ?? 0}" r="2.5" fill="${color}"><title>${escapeXml(accountId)} ${point.takenAt.slice(0, 10)}: net ${formatCount(point.net)}</title></circle>`)
      .join("");
    return `<g data-trend-account="${escapeXml(accountId)}" data-points="${points.length}"><polyline points="${xy.map((p) => p.join(",")).join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>${dots}</g>`;
  });
  const axis =
    `<line x1="${PAD.left}" y1="${PAD.top + plotHeight}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotHeight}" stroke="#9ca3af"/>` +
    `<text x="${PAD.left}" y="${PAD.top + plotHeight + 14}" class="small">${new Date(first).toISOString().slice(0, 16).replace("T", " ")}</text>` +
    `<text x="${WIDTH - PAD.right}" y="${PAD.top + plotHeight + 14}" text-anchor="end" class="small">${new Date(last).toISOString().slice(0, 16).replace("T", " ")}</text>` +
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${WIDTH - PAD.right}" y2="${PAD.top}" stroke="#9ca3af" stroke-dasharray="2 3"/>` +
    `<text x="${PAD.left}" y="${PAD.top - 5}" class="small">net ${formatCount(BigInt(Math.round(maxNet)))}</text>` +
    `<text x="${WIDTH - PAD.right}" y="${PAD.top + plotHeight - 3}" text-anchor="end" class="small">0</text>`;
  const svg = `<svg class="chart" role="img" aria-label="Lifetime net per account over time" viewBox="0 0 ${WIDTH} ${TREND_HEIGHT}" width="100%">${axis}${lines.join("")}</svg>`;
  return { svg, colors };
}
