/**
 * When a request is sent again, and when we look at the account before acting again: the whole rule, in one place.
 *
 * THE RULE. A request's outcome is known when a reply was read (success, or an error the server chose), or when
 * the request provably never reached the server (no connection was made, or it was never sent). Otherwise the
 * outcome is unknown (`isOutcomeUnknown`): the reply was lost (reset, timeout), cut off mid-body, unreadable, or a
 * gateway's 502/503/504 outlasted every retry (a gateway may send one after the server acted). Then:
 *   1. A request that is the same sent twice as sent once — GET; PUT, which sets values; DELETE, which finds the
 *      link gone the second time — is sent again: by undici's retry interceptor while no reply has begun
 *      (internal/retry.ts decides when and how long to wait), once more after a reply cut off mid-body
 *      (`mayResendAfterCutOff`), and a GET once more after an unreadable reply (`mayReadAgain`).
 *   2. A POST adds a link and apifansly has no idempotency key, so it is never sent again blind: we list the
 *      account, adopt the link if the POST made it, and post again only when it did not (`createLookingFirst`).
 *      (internal/retry.ts repeats a POST only when the server provably did not act: a 429, or no connection.)
 *   3. When the client gives up on a PUT or DELETE whose outcome is unknown, the provider looks at the account
 *      and reports the step done if the account shows the wanted result (`confirmAfterUnknown`).
 * All of it, for one call of the client, runs on that call's one time budget (internal/budget.ts).
 */
import { FanslyNetworkError, FanslyProtocolError, FanslyServerError, NOT_CONNECTED_CODES } from "./errors";
import { backoffDelayMs, GATEWAY_STATUSES, type RetrySettings } from "./internal/retry";
import type { CallBudget } from "./internal/budget";

/** The one predicate: the request may or may not have been applied, and only a look at the account can tell. */
export function isOutcomeUnknown(error: unknown): error is FanslyNetworkError | FanslyServerError | FanslyProtocolError {
  // A connection never made (or a request never sent) cannot have carried the request: its outcome is known.
  if (error instanceof FanslyNetworkError) return !NOT_CONNECTED_CODES.has(error.causeCode ?? "");
  // An unreadable reply may be a 2xx: the server may have acted and answered in a shape we could not read.
  if (error instanceof FanslyProtocolError) return true;
  return error instanceof FanslyServerError && error.status !== undefined && GATEWAY_STATUSES.has(error.status);
}

/** Rule 1, after a reply cut off mid-body (undici would resume with a Range request, which this API lacks). */
export function mayResendAfterCutOff(method: string, error: unknown): error is FanslyNetworkError {
  return error instanceof FanslyNetworkError && error.replyStarted && method !== "POST";
}

/** Rule 1, after an unreadable reply (a proxy's error page, a garbled body): a GET changes nothing. */
export function mayReadAgain(method: string, error: unknown): error is FanslyProtocolError {
  return method === "GET" && error instanceof FanslyProtocolError;
}

/** What `createLookingFirst` needs from the client. */
export interface CreateSteps<T> {
  /** Sends the POST once (with the transport's own safe retries). */
  post(): Promise<T>;
  /** Lists the account now and returns the link the POST made, if any. */
  findMade(): Promise<T | undefined>;
  /** Reports that the POST is sent again. */
  onRetry(attempt: number, delayMs: number, reason: string): void;
}

/**
 * Rule 2: posts so that exactly one link results. After an unknown outcome it looks (`findMade`) and posts again
 * only when the link is not there, with the client's backoff, retry count and the call's time budget.
 */
export async function createLookingFirst<T>(steps: CreateSteps<T>, settings: RetrySettings, budget: CallBudget): Promise<T> {
  for (let retry = 1; ; retry++) {
    try {
      return await steps.post();
    } catch (error) {
      if (!isOutcomeUnknown(error)) throw error;
      let made: T | undefined;
      try {
        made = await steps.findMade();
      } catch (lookupError) {
        // The caller asked for a create: the POST's error is the answer (its outcome is unknown, and says so). The
        // listing that could have told failed too; it is kept as the cause, not shown as if the create were a GET.
        Object.defineProperty(error, "cause", { value: lookupError, enumerable: false });
        throw error;
      }
      if (made !== undefined) return made;
      const delayMs = backoffDelayMs(retry, settings);
      if (retry > settings.maxRetries || Date.now() + delayMs - budget.startedAt > budget.maxElapsedMs) throw error;
      steps.onRetry(retry + 1, delayMs, `${error.message}; the link was not made`);
      await waitMs(delayMs);
    }
  }
}

/**
 * Rule 3: after `error`, if its outcome is unknown, `look` at the account; its answer (the wanted result, seen)
 * replaces the error. Anything else — a known outcome, or an account that does not show the result — rethrows.
 */
export async function confirmAfterUnknown<T>(error: unknown, look: () => Promise<T | undefined>): Promise<T> {
  if (!isOutcomeUnknown(error)) throw error;
  const seen = await look();
  if (seen === undefined) throw error;
  return seen;
}

/** The global timer (not node:timers/promises), as retry.ts uses: one clock that fake timers in tests can drive. */
function waitMs(delayMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, delayMs));
}
