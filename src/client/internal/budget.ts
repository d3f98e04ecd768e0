/**
 * One time budget per call. `maxRetryTimeMs` promises the total time one call of the client (`list`, `get`,
 * `create`, `update`, `delete`, `createWithoutDuplicates`, `accounts.list`) may spend. A call may need several
 * exchanges (pages, the re-read of an unreadable reply, the resend of a cut-off one, the listing that looks for a
 * POST whose reply was lost), each with retries; they all run on the one clock started when the call began, so
 * the promise holds for the call, not for each exchange.
 *
 * The clock travels with the call through AsyncLocalStorage rather than as a parameter, because the listing a call
 * needs may be made by the shared listings (accountListings.ts), which know accounts, not calls. A listing shared
 * by several calls runs on the clock of the call that started it.
 *
 * Time a request spends waiting for a slot under the client's own `maxRequestsPerMinute` does not count: it is
 * pacing the user asked for, not trouble. A `pulumi up` of 2,000 links queues its creates for over three minutes at
 * 600 a minute; counting that wait would fail the last ones unsent, or send them with no budget left for a retry.
 * The rate limiter stops the clock while a request of the call waits (`pauseForQueue`) and moves its start later
 * by the wait when it starts (`resumeAfterQueue`).
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface CallBudget {
  /** When the call began, epoch ms, moved later by the time its requests waited for a rate-limit slot. */
  startedAt: number;
  /** Set while a request of the call waits for a rate-limit slot: the clock stands still from then. */
  queuedSince?: number | undefined;
  /** How long it may take in all, ms (`maxRetryTimeMs`). */
  readonly maxElapsedMs: number;
}

const currentCall = new AsyncLocalStorage<CallBudget>();

/**
 * Runs `call` on one budget: the budget of the call already running (a call made inside another, such as the
 * listing inside a create, spends its caller's time), or a new one that starts now.
 */
export function withinOneBudget<T>(maxElapsedMs: number, call: () => Promise<T>): Promise<T> {
  if (currentCall.getStore() !== undefined) return call();
  return currentCall.run({ startedAt: Date.now(), maxElapsedMs }, call);
}

/** The running call's budget; outside any call (a direct `exchange` in a test), one that starts now. */
export function currentBudget(maxElapsedMs: number): CallBudget {
  return currentCall.getStore() ?? { startedAt: Date.now(), maxElapsedMs };
}

/** Milliseconds the budget has left at `now` (0 when spent); while a request waits for a slot, the clock stands. */
export function remainingMs(budget: CallBudget, now: number = Date.now()): number {
  return Math.max(0, budget.startedAt + budget.maxElapsedMs - (budget.queuedSince ?? now));
}

/**
 * The dispatch option that carries a request's budget to the rate limiter. An option, not the async context: undici
 * sends a retry from its connection's context, where the call's budget is not the current one.
 */
export interface BudgetedDispatch {
  callBudget?: CallBudget;
}

/**
 * Stops a call's clock while one of its requests waits for a rate-limit slot; returns what to call when the request
 * starts or is given up, which gives the call the wait back.
 */
export function pauseForQueue(budget: CallBudget | undefined, now: number = Date.now()): () => void {
  if (budget === undefined) return () => undefined;
  budget.queuedSince ??= now;
  return () => {
    if (budget.queuedSince === undefined) return;
    budget.startedAt += Date.now() - budget.queuedSince;
    budget.queuedSince = undefined;
  };
}
