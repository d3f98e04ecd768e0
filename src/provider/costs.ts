/**
 * What an update costs in requests (1 request = 1 apifansly credit) and time: the estimate a provider process makes
 * from the engine's calls, what its client actually sent, and the lines that say both. Pure: the provider decides
 * what it plans (implementation.ts), costReport.ts says it to the engine when the process ends.
 *
 * The rule, per lifecycle step, when nothing fails (each figure is what the emulator logs; see README "What each
 * command costs"):
 * - a new link: 1 POST;
 * - an adopted link (`trackingLinkId`): adoptions arriving together share 1 listing of their account; one that
 *   misses it lists afresh (so at most 2 each); + 1 PUT when its label or description differs, which only that
 *   listing tells: a range;
 * - a changed label or description: 1 PUT;
 * - a replacement (another `accountId` or `trackingLinkId`): the new link as above, + 1 DELETE of the old one (the
 *   engine checks the new inputs a second time, as a new resource's: that check counts the new link);
 * - a removed link: 1 DELETE;
 * - any link new to its account: 1 listing of the key's accounts per provider process (accountCheck.ts).
 * What it cannot know: retries (429, 5xx, a reset), the listing that confirms a write whose reply was lost
 * (src/client/recovery.ts), and a DELETE answered 404 (confirmed by a listing). The `sent` count includes them.
 */
import { RATE_LIMIT_WINDOW_MS, DEFAULT_MAX_REQUESTS_PER_MINUTE } from "../client/internal/rateLimit";

/** The kinds of request a line names: writes by method, and listings (every GET: the API's reads are listings). */
const REQUEST_KINDS = ["POST", "PUT", "DELETE", "listing"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** A count known within bounds: an adoption's PUT depends on what the listing finds. */
export interface Bounds {
  min: number;
  max: number;
}

/** Requests by kind, each a range (`min === max` when certain). */
export class RequestCounts {
  readonly #min = new Map<RequestKind, number>();
  readonly #max = new Map<RequestKind, number>();

  add(kind: RequestKind, min: number, max: number = min): void {
    this.#min.set(kind, this.min(kind) + min);
    this.#max.set(kind, this.max(kind) + max);
  }

  min(kind: RequestKind): number {
    return this.#min.get(kind) ?? 0;
  }

  max(kind: RequestKind): number {
    return this.#max.get(kind) ?? 0;
  }

  total(): Bounds {
    return REQUEST_KINDS.reduce((sum, kind) => ({ min: sum.min + this.min(kind), max: sum.max + this.max(kind) }), { min: 0, max: 0 });
  }

  /** Every count plus `more` (the deletes only the stack's state shows at preview), as a new value. */
  plus(kind: RequestKind, more: number): RequestCounts {
    const sum = new RequestCounts();
    for (const each of REQUEST_KINDS) sum.add(each, this.min(each), this.max(each));
    sum.add(kind, more);
    return sum;
  }
}

/** The kind a sent request counts as. */
export function kindOfMethod(method: string): RequestKind {
  return method === "POST" || method === "PUT" || method === "DELETE" ? method : "listing";
}

/** How long the client's limiter makes `requests` take at least, in ms: it lets `perMinute` go, then waits a window. */
export function pacingFloorMs(requests: number, perMinute: number): number {
  if (requests <= 0) return 0;
  // The k-th request starts no earlier than ⌊(k − 1) / perMinute⌋ windows after the first (rateLimit.ts).
  return Math.floor((requests - 1) / perMinute) * RATE_LIMIT_WINDOW_MS;
}

/** The rate a line names: the configured one, else the default (the API's `X-RateLimit-Limit` may raise it). */
export function rateOf(maxRequestsPerMinute: number | undefined): number {
  return maxRequestsPerMinute ?? DEFAULT_MAX_REQUESTS_PER_MINUTE;
}

function range({ min, max }: Bounds): string {
  return min === max ? String(min) : `${min}–${max}`;
}

function plural(count: string, one: string, many: string): string {
  return `${count} ${count === "1" ? one : many}`;
}

/** "250 POST, 1 listing": the kinds with any request, in REQUEST_KINDS order. */
function byKind(counts: RequestCounts): string {
  const parts = REQUEST_KINDS.filter((kind) => counts.max(kind) > 0).map((kind) => {
    const count = range({ min: counts.min(kind), max: counts.max(kind) });
    return kind === "listing" ? plural(count, "listing", "listings") : `${count} ${kind}`;
  });
  return parts.length === 0 ? "nothing to send" : parts.join(", ");
}

function seconds(ms: number): string {
  return `${String(Math.round(ms / 100) / 10)} s`;
}

/** "250 requests = 250 credits": what the line leads with. */
function requestsAndCredits(total: Bounds): string {
  const count = range(total);
  return `${plural(count, "request", "requests")} = ${plural(count, "credit", "credits")}`;
}

/** The words a preview-comment finds the lines by (src/cli/previewComment.ts). */
const ESTIMATE_PREFIX = "fansly estimate:";
export const SENT_PREFIX = "fansly sent:";

/**
 * The estimate line: "fansly estimate: 251 requests = 251 credits, no wait at 600/min (250 POST, 1 listing)". The
 * time is the limiter's floor (the first `perMinute` requests go at once, then one window per `perMinute` more), not
 * `requests / rate`: a sliding window lets a small update through in one burst.
 */
export function estimateLine(counts: RequestCounts, perMinute: number, notCounted: readonly string[] = []): string {
  const total = counts.total();
  const floorMs = pacingFloorMs(total.min, perMinute);
  const time = floorMs === 0 ? `no wait at ${String(perMinute)}/min` : `≥ ${seconds(floorMs)} at ${String(perMinute)}/min`;
  const gaps = notCounted.length === 0 ? "" : `; not counted: ${notCounted.join("; ")}`;
  return `${ESTIMATE_PREFIX} ${requestsAndCredits(total)}, ${time} (${byKind(counts)})${gaps}`;
}

/**
 * The truth line of a process that sent requests: "fansly sent: 252 requests = 252 credits in 9.4 s (250 POST, 2
 * listings); estimated 251, +1 from retries and confirmations".
 */
export function sentLine(sent: RequestCounts, elapsedMs: number, estimated?: RequestCounts): string {
  const said = `${SENT_PREFIX} ${requestsAndCredits(sent.total())} in ${seconds(elapsedMs)} (${byKind(sent)})`;
  if (estimated === undefined) return said;
  const total = sent.total().min;
  const planned = estimated.total();
  const difference = total > planned.max ? `, +${String(total - planned.max)} from retries and confirmations` : "";
  return `${said}; estimated ${range(planned)}${difference}`;
}

/**
 * Why a plan is refused by `fansly:maxCreditsPerUpdate`, or undefined within it. Counted with the plan's lower
 * bound: the update is refused only when it certainly costs more.
 */
export function overBudget(counts: RequestCounts, budget: number | undefined): string | undefined {
  if (budget === undefined) return undefined;
  const total = counts.total();
  if (total.min <= budget) return undefined;
  return (
    `this update needs at least ${requestsAndCredits({ min: total.min, max: total.min })} so far (${byKind(counts)}), more than ` +
    `fansly:maxCreditsPerUpdate allows (${String(budget)}), so this step was refused before sending anything. Split the change, or raise the budget: ` +
    "run `pulumi config set fansly:maxCreditsPerUpdate <credits>` (on an explicit provider: set its `maxCreditsPerUpdate`); " +
    `a preview without the budget (\`pulumi config rm fansly:maxCreditsPerUpdate\`) ends with the whole update's cost ("${ESTIMATE_PREFIX} …")`
  );
}

/** What an estimate line says it left out when a budget stopped the preview part way. */
export function stoppedByBudget(budget: number | undefined): string {
  return `the rest of the program (the engine stopped at fansly:maxCreditsPerUpdate, ${String(budget)})`;
}

/** What a link in a plan is: a new one (`trackingLinkId` absent) or an adoption of an existing one in `accountId`. */
export interface PlannedLink {
  accountId: string;
  trackingLinkId?: string | undefined;
}

/**
 * One provider process's plan, by the rule above, built from the engine's calls: `check` of a resource not in
 * state, `diff` of one that is, `delete`. The stack's removed links are added at the end (costReport.ts): at
 * preview no provider is told of them.
 */
export class UpdatePlan {
  readonly counts = new RequestCounts();
  /** Link ids the engine diffed: in state and still declared. */
  readonly keptIds = new Set<string>();
  readonly #adoptingIn = new Set<string>();
  #accountsListing = false;

  /** A link to create or adopt. */
  link(link: PlannedLink): void {
    if (link.trackingLinkId === undefined) {
      this.counts.add("POST", 1);
      return;
    }
    // Adoptions of one account share a listing (the first one's); any may miss it and list afresh.
    this.counts.add("listing", this.#adoptingIn.has(link.accountId) ? 0 : 1, 2);
    this.#adoptingIn.add(link.accountId);
    this.counts.add("PUT", 0, 1);
  }

  /** The key's accounts, listed once per process when a link is new to its account (accountCheck.ts). */
  accountsListing(): void {
    if (this.#accountsListing) return;
    this.#accountsListing = true;
    this.counts.add("listing", 1);
  }

  /**
   * A resource in state: replaced (the old link's DELETE), updated (a PUT), or left alone. A replacement's new link
   * is counted by `link`: the engine checks a replacement's inputs again as a new resource's (no previous inputs).
   */
  diffed(id: string, change: "replace" | "update" | "none"): void {
    this.keptIds.add(id);
    if (change === "replace") {
      this.counts.add("DELETE", 1);
    } else if (change === "update") {
      this.counts.add("PUT", 1);
    }
  }

  /** A link the engine deletes: a removed resource's (a replacement's old link was counted at its diff). */
  deleted(id: string): void {
    if (!this.keptIds.has(id)) this.counts.add("DELETE", 1);
  }
}

/**
 * The cost lines in a command's output, in order, trimmed. The CLI prints a diagnostic twice: on its resource's
 * progress row (after the row's text) and, indented, under "Diagnostics:"; only the second starts a line.
 */
export function costLinesIn(output: string, prefix: string = ESTIMATE_PREFIX): string[] {
  return output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith(prefix));
}

/** The request count a cost line leads with ("251 requests", "3–5 requests"), or undefined. */
export function requestsIn(line: string): Bounds | undefined {
  const match = /^fansly (?:estimate|sent): (\d+)(?:–(\d+))? requests? = /.exec(line);
  if (match?.[1] === undefined) return undefined;
  const min = Number(match[1]);
  return { min, max: match[2] === undefined ? min : Number(match[2]) };
}

/** How long an estimate line may be to be believed: ours are well under this. */
const MAX_COST_LINE_CHARS = 400;
/** The shape of an estimate line as `estimateLine` writes it; anything else in an output is not ours. */
const ESTIMATE_SHAPE = /^fansly estimate: \d+(?:–\d+)? requests? = \d+(?:–\d+)? credits?, (?:no wait|≥ [\d.]+ s) at \d+\/min \([^()]*\)(?:; [^\n]*)?$/;

/** The estimate lines of a preview's output that have exactly our shape (a pull-request comment repeats them). */
export function estimateLinesIn(output: string): string[] {
  return costLinesIn(output, ESTIMATE_PREFIX).filter((line) => line.length <= MAX_COST_LINE_CHARS && ESTIMATE_SHAPE.test(line));
}
