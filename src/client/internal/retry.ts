/**
 * When and how long to wait before sending a request again. undici's retry interceptor does the re-sending; this
 * module is the `retry` callback we give it, because undici's default adds no jitter, reads only `Retry-After`,
 * has no total time budget and cannot tell which POST failures are safe to repeat.
 */
import type { RetryHandler } from "undici";
import { codeOf } from "../../thrown";
import { NOT_CONNECTED_CODES } from "../errors";

/** Statuses a gateway sends for a server it could not reach in time: the request may or may not have been applied. */
export const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);
/** Statuses worth another try: rate limited, or a gateway that did not reach Fansly. A 500 may have acted: no. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, ...GATEWAY_STATUSES]);

/**
 * Transport failures worth another try for requests that are safe to repeat (GET, and PUT/DELETE, which set a
 * state rather than add one: a repeated PUT writes the same label, a repeated DELETE finds the link gone).
 */
const RETRYABLE_TRANSPORT_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/**
 * Failures that prove a POST never reached the server's logic, so repeating it cannot make a second link.
 * apifansly has no idempotency key (stripe retries POSTs only because every one carries one), so a POST whose
 * connection reset or timed out after sending is NOT retried here: it may have created the link, and the caller
 * must look before trying again.
 */
const POST_SAFE_TRANSPORT_CODES = NOT_CONNECTED_CODES;

/** A small spread added to a server-given wait, so that parallel requests do not all return on the same ms. */
const RETRY_AFTER_SPREAD_MAX_MS = 1_000;

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff step, ms; doubles each retry. */
  baseDelayMs: number;
  /** Largest backoff step, ms (a server's own Retry-After may be longer and is honoured). */
  maxDelayMs: number;
  /** Total time one call may spend, ms, waits included (budget.ts); a wait that would cross it is not taken. */
  maxElapsedMs: number;
  /** Source of randomness in [0, 1), for jitter. */
  random: () => number;
}

/** What one exchange has been through so far, shared with the response handler; `startedAt` is its call's start. */
export interface AttemptLog {
  method: string;
  /** Requests sent so far (1 after the first). */
  attempts: number;
  startedAt: number;
  /** Set once a final reply's headers reached us: from then on a failure is mid-body and is not resumed. */
  responseStarted: boolean;
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
  reason: string;
}

/** Reads `X-RateLimit-Retry-After` (seconds, documented) first, then `Retry-After` (seconds or an HTTP date). */
export function retryAfterMsFrom(
  headers: Record<string, string | string[] | undefined> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const vendor = secondsToMs(single(headers["x-ratelimit-retry-after"]));
  if (vendor !== undefined) return vendor;
  const standard = single(headers["retry-after"]);
  if (standard === undefined) return undefined;
  const seconds = secondsToMs(standard);
  if (seconds !== undefined) return seconds;
  const date = Date.parse(standard);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** One reply header's value: undici gives a header sent twice as a list, and the first one counts. */
export function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function secondsToMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Math.round(Number(value) * 1000);
}

/** The exponential step with "equal jitter": at least half the step, so waits still grow, at most the step. */
export function backoffDelayMs(retryNumber: number, settings: RetrySettings): number {
  const step = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.round(step / 2 + settings.random() * (step / 2));
}

/** Decides whether the failure `error` of the request logged in `log` gets another attempt, and after how long. */
function decideRetry(error: unknown, log: AttemptLog, settings: RetrySettings, now: number): RetryDecision {
  const status = statusOf(error);
  const code = codeOf(error);
  const no = (reason: string): RetryDecision => ({ retry: false, delayMs: 0, reason });

  if (log.responseStarted) return no("the reply was cut off mid-body");
  if (status !== undefined && !RETRYABLE_STATUSES.has(status)) return no(`status ${status} is final`);
  if (status === undefined && (code === undefined || !RETRYABLE_TRANSPORT_CODES.has(code))) {
    return no(`${code ?? "this error"} is not transient`);
  }
  if (log.method === "POST" && status !== 429 && !(code !== undefined && POST_SAFE_TRANSPORT_CODES.has(code))) {
    return no("a POST is repeated only when the server provably did not act on it");
  }
  if (log.attempts > settings.maxRetries) return no(`${settings.maxRetries} retries used`);

  const retryAfterMs = retryAfterMsFrom(headersOf(error), now);
  const delayMs =
    retryAfterMs === undefined
      ? backoffDelayMs(log.attempts, settings)
      : retryAfterMs + Math.round(settings.random() * Math.min(RETRY_AFTER_SPREAD_MAX_MS, retryAfterMs / 10));
  if (now + delayMs - log.startedAt > settings.maxElapsedMs) {
    return no(`waiting ${delayMs} ms would pass the ${settings.maxElapsedMs} ms budget`);
  }
  return { retry: true, delayMs, reason: status === undefined ? (code ?? "transport error") : `status ${status}` };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "statusCode" in error && typeof error.statusCode === "number") {
    return error.statusCode;
  }
  return undefined;
}

function headersOf(error: unknown): Record<string, string | string[] | undefined> | undefined {
  if (typeof error === "object" && error !== null && "headers" in error) {
    const headers = error.headers;
    if (typeof headers === "object" && headers !== null) return headers as Record<string, string | string[] | undefined>;
  }
  return undefined;
}

/** The callback for undici's retry interceptor, bound to one request's log. */
export function retryCallbackFor(
  log: AttemptLog,
  settings: RetrySettings,
  onRetry: (decision: RetryDecision) => void,
): RetryHandler.RetryCallback {
  return (error, _context, callback) => {
    const decision = decideRetry(error, log, settings, Date.now());
    if (!decision.retry) {
      callback(error);
      return;
    }
    log.attempts += 1;
    onRetry(decision);
    setTimeout(() => {
      callback(null);
    }, decision.delayMs);
  };
}
