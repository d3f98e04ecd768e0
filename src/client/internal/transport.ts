/**
 * One HTTP exchange with retries, collected into a `RawReply`. Retrying is undici's interceptor, driven by our
 * policy (retry.ts); this module only wires a request through it and gathers the reply's bytes.
 */
import { interceptors, type Dispatcher } from "undici";
import { currentBudget, remainingMs, type BudgetedDispatch } from "./budget";
import { budgetSpentError, errorFromReply, errorFromTransport, FanslyError, FanslyProtocolError, type RequestSite } from "../errors";
import {
  retryAfterMsFrom,
  retryCallbackFor,
  RETRYABLE_STATUSES,
  type AttemptLog,
  type RetryDecision,
  type RetrySettings,
} from "./retry";

/** A reply larger than this is not a tracking-link reply; refusing it bounds memory. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024;

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Requests sent, retries included. */
  attempts: number;
}

export interface OutgoingRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query, e.g. `/api/fansly/fansly_1/tracking-links?offset=50`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface TransportSettings {
  origin: string;
  /** Per attempt: for the headers, and again for each gap in the body. */
  timeoutMs: number;
  retry: RetrySettings;
  onRetry?: (request: OutgoingRequest, decision: RetryDecision, attempt: number) => void;
}

/** Adds undici's retry interceptor (policy supplied per request) to a dispatcher. */
export function withRetries(dispatcher: Dispatcher): Dispatcher {
  // Only retryable statuses are intercepted: every other reply (a 401's or 404's envelope included) reaches our
  // handler whole. A retryable status that runs out of retries arrives as undici's RequestRetryError (status and
  // headers, no body). We keep `throwOnError` on because with it off undici decides on a status while the body
  // streams, and a dispatcher that ignores pause (MockAgent) then leaks the failed body downstream.
  return dispatcher.compose(interceptors.retry({ statusCodes: [...RETRYABLE_STATUSES] }));
}

/**
 * Sends `request` through `dispatcher` (already composed with `withRetries`) and collects the reply, on the time
 * budget of the call it belongs to (budget.ts): retry waits that would cross it are not taken, an attempt still in
 * flight when it runs out is cut off, and once it is spent nothing more is sent.
 */
export function exchange(dispatcher: Dispatcher, request: OutgoingRequest, settings: TransportSettings): Promise<RawReply> {
  const budget = currentBudget(settings.retry.maxElapsedMs);
  const log: AttemptLog = {
    method: request.method,
    attempts: 1,
    // Read live: the rate limiter moves the budget's start by the time a request waited for a slot (budget.ts).
    get startedAt() {
      return budget.startedAt;
    },
    responseStarted: false,
  };
  const site = (): RequestSite => ({ method: request.method, path: request.path.split("?")[0] ?? request.path, attempts: log.attempts });
  const timeLeftMs = remainingMs(budget);
  if (timeLeftMs === 0) return Promise.reject(budgetSpentError({ ...site(), attempts: 0 }, budget.maxElapsedMs, false));

  return new Promise<RawReply>((resolveReply, rejectReply) => {
    // Set once undici hands the request to a connection; it follows the request across retries.
    let controller: Dispatcher.DispatchController | undefined;
    // Cuts off the attempt in flight when the budget runs out. The budget's end moves while a request waits for a
    // rate-limit slot, so the timer rechecks when it fires, and a request that has not started yet is left alone
    // (`onRequestStart` arms the timer again).
    let deadline: NodeJS.Timeout | undefined;
    const armDeadline = (): void => {
      clearTimeout(deadline);
      deadline = setTimeout(() => {
        if (remainingMs(budget) > 0) armDeadline();
        else controller?.abort(budgetSpentError(site(), budget.maxElapsedMs, true));
      }, remainingMs(budget));
      deadline.unref();
    };
    armDeadline();
    const resolve = (reply: RawReply): void => {
      clearTimeout(deadline);
      resolveReply(reply);
    };
    const reject = (error: FanslyError): void => {
      clearTimeout(deadline);
      rejectReply(error);
    };
    const chunks: Buffer[] = [];
    let received = 0;
    let status = 0;
    let headers: RawReply["headers"] = {};

    const handler: Dispatcher.DispatchHandler = {
      // undici tells new-style handlers from legacy ones by this method's presence: it must exist.
      onRequestStart(requestController) {
        controller = requestController;
        armDeadline();
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        log.responseStarted = true;
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(controller, chunk) {
        received += chunk.length;
        if (received > MAX_REPLY_BYTES) {
          controller.abort(new FanslyProtocolError(`a reply under ${MAX_REPLY_BYTES} bytes`, `${received}+ bytes`, site()));
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        resolve({ status, headers, body: Buffer.concat(chunks).toString("utf8"), attempts: log.attempts });
      },
      onResponseError(_controller, error) {
        reject(toFanslyError(error, site(), settings.timeoutMs, log.responseStarted));
      },
    };

    const options: Dispatcher.DispatchOptions & BudgetedDispatch & { retryOptions: { retry: ReturnType<typeof retryCallbackFor> } } = {
      origin: settings.origin,
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body ?? null,
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
      // undici closes the connection after a request whose method "does not expect a body" (our DELETE carries
      // one) unless told not to; without this every DELETE would open a new connection.
      reset: false,
      // The rate limiter stops this clock while the request (or a retry of it) waits for a slot.
      callBudget: budget,
      retryOptions: {
        retry: retryCallbackFor(log, settings.retry, (decision) => settings.onRetry?.(request, decision, log.attempts)),
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      reject(toFanslyError(error, site(), settings.timeoutMs));
    }
  });
}

/** A retryable status that outlasted its retries arrives as an error carrying the status; the rest is transport. */
function toFanslyError(error: unknown, site: RequestSite, timeoutMs: number, replyStarted = false): FanslyError {
  if (error instanceof FanslyError) return error;
  if (typeof error === "object" && error !== null && "statusCode" in error && typeof error.statusCode === "number") {
    const headers = "headers" in error ? (error.headers as Record<string, string | string[] | undefined>) : undefined;
    const retryAfterMs = retryAfterMsFrom(headers);
    return errorFromReply({ ...site, status: error.statusCode, serverMessage: "", ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  return errorFromTransport(error, site, timeoutMs, replyStarted);
}
