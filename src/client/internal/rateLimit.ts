/**
 * A client-side request rate limit, shared by everything one `FanslyClient` sends: in the provider, by every
 * resource of the stack. A large `pulumi up` then paces itself to the plan instead of collecting 429s.
 *
 * apifansly counts requests per key in a sliding one-minute window (Starter 600, Pro 1,000). The limiter keeps the
 * same kind of window on our side: a request starts at once while fewer than `limit` of ours are still in the API's
 * window, otherwise it waits, first come first served, for the one leaving it first. So small stacks never wait, and
 * no minute ever holds more than `limit` of our requests — unlike a token bucket, which, to allow any burst at all
 * against a sliding window, must refill more slowly than the plan.
 *
 * When does one of ours leave the API's window? A minute after the API counted it, and it counted it when it arrived:
 * after we sent it, before its reply came back. So a request counts here from its reply (or its failure) for
 * `RATE_LIMIT_WINDOW_MS`: never shorter than the API counts it, and longer only by the reply's time on the wire. One
 * still in flight is taken to have arrived within `RATE_LIMIT_MARGIN_MS` of leaving (a slow connect or TLS handshake).
 *
 * It is an undici interceptor composed *under* the retry interceptor, so every attempt, retries included, takes a
 * slot. undici 7 ships no rate-limiting interceptor (retry, redirect, dump, dns, cache, decompress, deduplicate,
 * response-error), hence this one. It also reads each reply: `X-RateLimit-Limit` replaces the default limit (a Pro
 * key gets 1,000 without configuration), unless the user set one: that wins, to leave room for other programs using
 * the key, or to go faster than the default on a plan that sends no header. A 429 holds every request back for the
 * `X-RateLimit-Retry-After` it carries — the one place where other programs using the same key show.
 */
import type { Dispatcher } from "undici";
import { FanslyNetworkError, NOT_SENT_CODE } from "../errors";
import { pauseForQueue, type BudgetedDispatch } from "./budget";
import { retryAfterMsFrom, single } from "./retry";
import { asError } from "../../thrown";

/** apifansly's documented window: requests per key per (sliding) minute. */
export const RATE_LIMIT_WINDOW_MS = 60_000;
/**
 * How late a request still without a reply may have arrived after it left (a slow connect or TLS handshake): such a
 * request counts until this long after it left, plus the window. A request with its reply counts from the reply.
 */
export const RATE_LIMIT_MARGIN_MS = 5_000;
/** apifansly's Starter plan; a reply's `X-RateLimit-Limit` replaces it unless the user set a limit. */
export const DEFAULT_MAX_REQUESTS_PER_MINUTE = 600;
/** How long a 429 without a usable `X-RateLimit-Retry-After` / `Retry-After` holds requests back. */
const PAUSE_AFTER_BARE_429_MS = 1_000;

type Headers = Record<string, string | string[] | undefined>;

interface Waiting {
  start: (slot: Slot) => void;
  fail: (error: Error) => void;
}

/** One of our requests in the window: when it left, and when it ended (undefined while in flight). */
interface Taken {
  readonly startedAt: number;
  endedAt: number | undefined;
}

/** When a request stops counting against the API's minute (see the top of this file). */
function leavesWindowAt(taken: Taken): number {
  return Math.min(taken.endedAt ?? Infinity, taken.startedAt + RATE_LIMIT_MARGIN_MS) + RATE_LIMIT_WINDOW_MS;
}

/** A slot a request took: told when the request ended (its reply began, or it failed), which starts its minute. */
export interface Slot {
  settle(): void;
}

/**
 * What the interceptor asks before each attempt: this client's own limiter, or the fleet's shared budget
 * (rateCoordinator.ts), which several provider processes draw from.
 */
export interface SlotGate {
  /** Takes a slot now if one is free without waiting; otherwise takes none and returns undefined. */
  tryStart(): Slot | undefined;
  /** Calls `start` once a slot is taken, or `fail` if none will be (closed, unreachable). */
  enqueue(start: (slot: Slot) => void, fail: (error: Error) => void): void;
  /** Sees every reply's status and headers (the plan's limit, a 429's wait). */
  observe(statusCode: number, headers: Headers): void;
}

/** The requests-per-minute gate of one client. */
export class RequestRateLimiter implements SlotGate {
  readonly #configured: number | undefined;
  #limit: number;
  /** The requests that may still count against the API's window, in the order they started. */
  readonly #taken: Taken[] = [];
  readonly #waiting: Waiting[] = [];
  #timer: NodeJS.Timeout | undefined;
  #pausedUntil = 0;
  #closed = false;

  /** @param maxRequestsPerMinute the user's limit; `undefined` means the default until the API names its own. */
  constructor(maxRequestsPerMinute: number | undefined) {
    this.#configured = maxRequestsPerMinute;
    this.#limit = maxRequestsPerMinute ?? DEFAULT_MAX_REQUESTS_PER_MINUTE;
  }

  /** Requests a minute allowed now. */
  get limit(): number {
    return this.#limit;
  }

  /** Requests waiting for a slot now: more than none means the rate, not the work, is what holds them back. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Takes a slot now if one is free and nobody is waiting for one; otherwise takes none and returns undefined. */
  tryStart(now: number = Date.now()): Slot | undefined {
    if (this.#closed || this.#waiting.length > 0 || this.#waitMs(now) > 0) return undefined;
    return this.#take(now);
  }

  /** Queues `start` for the next free slot; `fail` is called instead if `cancelWaiting` comes first. */
  enqueue(start: (slot: Slot) => void, fail: (error: Error) => void): void {
    if (this.#closed) {
      fail(closedError());
      return;
    }
    this.#waiting.push({ start, fail });
    this.#drain();
  }

  /** Learns from a reply: the plan's limit from `X-RateLimit-Limit`, and a 429's wait. */
  observe(statusCode: number, headers: Headers, now: number = Date.now()): void {
    const advertised = positiveWhole(single(headers["x-ratelimit-limit"]));
    if (advertised !== undefined && this.#configured === undefined) this.#limit = advertised;
    if (statusCode === 429) this.holdFor(pauseAfter429Ms(headers, now), now);
    else if (this.#waiting.length > 0) this.#drain();
  }

  /** Starts nothing for `ms` (a 429 seen here, or by another process sharing the budget). */
  holdFor(ms: number, now: number = Date.now()): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, now + ms);
    if (this.#waiting.length > 0) this.#drain();
  }

  /** Fails every waiting request and every later one: the client closed its own connections. */
  close(): void {
    this.#closed = true;
    this.cancelWaiting();
  }

  /**
   * Fails every waiting request, so that closing the client does not leave a timer holding the process open.
   * Later requests are paced as before (a dispatcher injected into the client outlives `close()`).
   */
  cancelWaiting(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const waiting of this.#waiting.splice(0)) waiting.fail(closedError());
  }

  /** Starts waiting requests while slots are free, then sleeps until the next one frees. */
  #drain(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const now = Date.now();
    for (;;) {
      const next = this.#waiting[0];
      if (next === undefined) return;
      const waitMs = this.#waitMs(now);
      if (waitMs > 0) {
        this.#timer = setTimeout(() => {
          this.#drain();
        }, waitMs);
        return;
      }
      this.#waiting.shift();
      next.start(this.#take(now));
    }
  }

  #take(now: number): Slot {
    const taken: Taken = { startedAt: now, endedAt: undefined };
    this.#taken.push(taken);
    return {
      settle: () => {
        if (taken.endedAt !== undefined) return;
        taken.endedAt = Date.now();
        // An early end moves the next free slot closer: a waiting request's timer may now fire too late.
        if (this.#waiting.length > 0) this.#drain();
      },
    };
  }

  /** 0 when a request may start at `now`, else how long until one may. */
  #waitMs(now: number): number {
    if (this.#pausedUntil > now) return this.#pausedUntil - now;
    // Whatever its reply, a request that started a margin and a window ago has left: drop those (a prefix).
    const longest = RATE_LIMIT_WINDOW_MS + RATE_LIMIT_MARGIN_MS;
    while (this.#taken.length > 0 && (this.#taken[0]?.startedAt ?? now) <= now - longest) this.#taken.shift();
    // Cheap and sufficient while fewer than `limit` could count at all (every lifted-limit run stays here).
    if (this.#taken.length < this.#limit) return 0;
    const leaving = this.#taken.map(leavesWindowAt).filter((at) => at > now);
    if (leaving.length < this.#limit) return 0;
    // The request that must leave the window before one more may enter it.
    leaving.sort((a, b) => a - b);
    return Math.max(1, (leaving[leaving.length - this.#limit] ?? now) - now);
  }
}

/** How long a 429 holds every request back: its `X-RateLimit-Retry-After` / `Retry-After`, else a second. */
export function pauseAfter429Ms(headers: Headers, now: number = Date.now()): number {
  return retryAfterMsFrom(headers, now) ?? PAUSE_AFTER_BARE_429_MS;
}

/**
 * A gate as an undici interceptor: each dispatch takes a slot (waiting for one if need be), and each reply's
 * headers reach `observe` before the handler above sees them.
 */
export function rateLimitInterceptor(limiter: SlotGate): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const slot = limiter.tryStart();
    if (slot !== undefined) return dispatch(options, new ObservingHandler(handler, limiter, slot));
    // The wait for a slot is pacing, not spent budget: the call's clock stands still until the request starts.
    const resumeClock = pauseForQueue((options as Dispatcher.DispatchOptions & BudgetedDispatch).callBudget);
    // A failure before anything was sent, told to `target`: the caller's handler, or the one holding the slot taken.
    const failUnsent = (target: Dispatcher.DispatchHandler, error: unknown): void => {
      resumeClock();
      target.onResponseError?.(NOT_STARTED, asError(error));
    };
    limiter.enqueue(
      (taken) => {
        resumeClock();
        const observed = new ObservingHandler(handler, limiter, taken);
        try {
          dispatch(options, observed);
        } catch (error) {
          failUnsent(observed, error);
        }
      },
      (error) => { failUnsent(handler, error); },
    );
    return true;
  };
}

/** Passes every event through, settling the request's slot and showing the reply's status and headers to the limiter first. */
class ObservingHandler implements Dispatcher.DispatchHandler {
  constructor(
    private readonly handler: Dispatcher.DispatchHandler,
    private readonly limiter: SlotGate,
    private readonly slot: Slot,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Dispatcher.DispatchHandler["onRequestUpgrade"]>>): void {
    this.handler.onRequestUpgrade?.(...args);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.slot.settle();
    this.limiter.observe(statusCode, headers);
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Headers): void {
    this.handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.slot.settle();
    this.handler.onResponseError?.(controller, error);
  }
}

/** The controller handed over with a failure that happened before the request was sent. */
const NOT_STARTED: Dispatcher.DispatchController = {
  aborted: false,
  paused: false,
  reason: null,
  abort: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
};

export function closedError(): FanslyNetworkError {
  return new FanslyNetworkError(
    "the client was closed while this request waited for its turn under the maxRequestsPerMinute option: nothing was sent",
    { causeCode: NOT_SENT_CODE },
  );
}

function positiveWhole(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= 1 && Number.isSafeInteger(parsed) ? parsed : undefined;
}
