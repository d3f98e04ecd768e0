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
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface CallBudget {
  /** When the call began, epoch ms. */
  readonly startedAt: number;
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

/** Milliseconds the budget has left at `now` (0 when spent). */
export function remainingMs(budget: CallBudget, now: number = Date.now()): number {
  return Math.max(0, budget.startedAt + budget.maxElapsedMs - now);
}
