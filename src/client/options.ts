/**
 * Client options: their defaults, units and validation. Validation happens in the constructor, before any
 * request, and every message names the option and the fix.
 */
import { isIP } from "node:net";
import type { Dispatcher } from "undici";
import { z } from "zod";
import { FanslyConfigError } from "./errors";
import { coordinatorUrlProblem } from "./internal/rateCoordinator";

export const DEFAULT_BASE_URL = "https://v1.apifansly.com";
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_MAX_RETRY_TIME_MS = 120_000;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_RETRY_MAX_DELAY_MS = 30_000;
/** How long one account listing answers later reads in the same process (see accountListings.ts). */
export const DEFAULT_LISTING_REUSE_MS = 10_000;
/** More retries than this only hides an outage and burns paid credits. */
const MAX_RETRIES_LIMIT = 10;

/** One line per request attempt outcome; never carries the key or a request body. */
export interface FanslyLogEvent {
  type: "retry" | "response";
  method: string;
  path: string;
  /** Attempt number this event is about (1 = first). */
  attempt: number;
  /** HTTP status, for `response`. */
  status?: number;
  /** For `retry`: how long we wait before the next attempt, ms. */
  delayMs?: number;
  /** A human line, redacted. */
  message: string;
}

export interface FanslyClientOptions {
  /** apifansly API key, sent as the `x-api-key` header. Required. Never logged or put in an error. */
  apiKey: string;
  /** API origin. Default `https://v1.apifansly.com`. Plain `http://` only to a loopback host (the emulator). */
  baseUrl?: string;
  /** Per-attempt timeout in ms, for the reply's headers and for each pause in its body. Default 30,000. */
  timeoutMs?: number;
  /** Retries after the first attempt, 0–10. Default 4. */
  maxRetries?: number;
  /**
   * Total time in ms one call (`list`, `create`, …) may spend: its retries and the waits between them, its pages,
   * re-reads and the listing a create looks in all run on one clock, and an attempt still in flight when it runs
   * out is cut off (see internal/budget.ts). Default 120,000.
   */
  maxRetryTimeMs?: number;
  /** First backoff wait in ms; doubles each retry (with jitter), capped at 30,000. Default 500. */
  retryBaseDelayMs?: number;
  /**
   * Requests a minute this client sends at most, retries included, however many calls run in parallel. Default
   * 600 (apifansly's Starter plan), replaced by the API's `X-RateLimit-Limit` once a reply carries it (1,000 on Pro).
   * A value set here wins over both: lower, to leave room for other programs using the key; higher, for a plan or
   * an emulator that allows more.
   */
  maxRequestsPerMinute?: number;
  /**
   * A local rate coordinator's URL (`pulumi-fansly fleet` sets FANSLY_RATE_COORDINATOR_URL for each stack it runs):
   * every attempt then also waits for a slot of the budget the coordinator shares among the stacks running at once,
   * on top of `maxRequestsPerMinute`. Default: none, this client paces itself alone.
   */
  rateCoordinatorUrl?: string;
  /**
   * How long, in ms, one listing of an account answers later reads of its links made through this client with
   * `shared: true` (a refresh's reads), with this client's own writes applied on top. The API has no single-link
   * GET, so without sharing every read costs a full listing and a credit. Reads that arrive while a listing is in
   * flight always share it; 0 shares only those. Default 10,000.
   */
  listingReuseMs?: number;
  /**
   * The undici dispatcher to send through. Default: a keep-alive `Agent` owned (and closed) by the client.
   * Tests pass a `MockAgent`; retries are layered on top either way.
   */
  dispatcher?: Dispatcher;
  /** Receives one event per reply and per retry. Default: none. */
  logger?: (event: FanslyLogEvent) => void;
}

/** Options after defaults, as the client uses them. */
export interface ResolvedOptions {
  apiKey: string;
  origin: string;
  /** The base URL's path without a trailing slash ("" for the real API), for a proxy mounted under a prefix. */
  basePath: string;
  timeoutMs: number;
  maxRetries: number;
  maxRetryTimeMs: number;
  retryBaseDelayMs: number;
  /** The user's limit; undefined: the default until the API names its own. */
  maxRequestsPerMinute: number | undefined;
  rateCoordinatorUrl: string | undefined;
  listingReuseMs: number;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || (isIP(hostname) === 4 && hostname.startsWith("127."));
}

/** A control character anywhere in a key: an HTTP header cannot carry it (undici refuses it at the first request). */
// eslint-disable-next-line no-control-regex -- the characters this rule is about
const CONTROL_IN_KEY = /[\u0000-\u001f\u007f]/;

/**
 * Why an API key cannot be sent, or `undefined` when it can: the one rule, for the client's options and for the
 * provider's settings (where the plugin face's CheckConfig reports it at preview). Never quotes the key.
 */
export function apiKeyProblem(key: string): string | undefined {
  if (key.trim().length === 0) return "is empty";
  if (key.trim() !== key) return "has leading or trailing whitespace (a pasted newline?)";
  if (CONTROL_IN_KEY.test(key)) {
    return "holds a control character (a line break, a carriage return, a tab or a NUL: a paste gone wrong?), which an HTTP header cannot carry; copy the key again from the apifansly dashboard";
  }
  return undefined;
}

const OptionsSchema = z.object({
  apiKey: z.string({ error: "is missing" }).superRefine((key, context) => {
    const problem = apiKeyProblem(key);
    if (problem !== undefined) context.addIssue({ code: "custom", message: problem, abort: true });
  }),
  baseUrl: z
    .string({ error: "must be a string" })
    .refine((url) => URL.canParse(url), { message: "is not a URL (expected e.g. https://v1.apifansly.com)", abort: true })
    .refine((url) => ["http:", "https:"].includes(new URL(url).protocol), { message: "must start with https://", abort: true })
    .refine((url) => new URL(url).protocol === "https:" || isLoopback(new URL(url).hostname), {
      message: "uses plain http:// to a non-loopback host, which would send the API key in clear text; use https://",
      abort: true,
    })
    .default(DEFAULT_BASE_URL),
  timeoutMs: z
    .number({ error: `must be a whole number of milliseconds, e.g. ${DEFAULT_TIMEOUT_MS}` })
    .int({ error: `must be a whole number of milliseconds, e.g. ${DEFAULT_TIMEOUT_MS}` })
    .positive({ error: `must be at least 1 millisecond; the default is ${DEFAULT_TIMEOUT_MS}` })
    .default(DEFAULT_TIMEOUT_MS),
  maxRetries: z
    .number({ error: "must be a whole number" })
    .int()
    .min(0)
    .max(MAX_RETRIES_LIMIT, `must be at most ${MAX_RETRIES_LIMIT}`)
    .default(DEFAULT_MAX_RETRIES),
  maxRetryTimeMs: z.number({ error: "must be a number of milliseconds" }).int().positive().default(DEFAULT_MAX_RETRY_TIME_MS),
  retryBaseDelayMs: z
    .number({ error: "must be a number of milliseconds" })
    .int()
    .nonnegative()
    .default(DEFAULT_RETRY_BASE_DELAY_MS),
  // No default here: whether the user set it decides if the API's X-RateLimit-Limit applies.
  maxRequestsPerMinute: z
    .number({ error: "must be a whole number of requests a minute, e.g. 600" })
    .int({ error: "must be a whole number of requests a minute, e.g. 600" })
    .positive({ error: "must be at least 1 request a minute (apifansly's Starter plan allows 600)" })
    .optional(),
  rateCoordinatorUrl: z
    .string({ error: "must be a string" })
    .superRefine((url, context) => {
      const problem = coordinatorUrlProblem(url);
      if (problem !== undefined) context.addIssue({ code: "custom", message: problem, abort: true });
    })
    .optional(),
  listingReuseMs: z
    .number({ error: `must be a whole number of milliseconds, e.g. ${DEFAULT_LISTING_REUSE_MS}` })
    .int({ error: `must be a whole number of milliseconds, e.g. ${DEFAULT_LISTING_REUSE_MS}` })
    .nonnegative({ error: "must be 0 or more milliseconds (0: only reads in flight together share a listing)" })
    .default(DEFAULT_LISTING_REUSE_MS),
});

/**
 * The fix, in this client's terms (an apiKey's problem already says it). The error names the options at fault;
 * whoever made the client says where the user sets each (stack config, a provider's inputs, a flag).
 */
const FIX_FOR: Record<string, string> = {
  baseUrl: "use an https:// URL, or http://127.0.0.1:<port> for the emulator",
};

/** Applies defaults and validates; throws `FanslyConfigError` naming each bad option. Never echoes a value. */
export function resolveOptions(options: Partial<FanslyClientOptions>): ResolvedOptions {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.map(String).join(".") || "options");
    const problems = parsed.error.issues.map((issue, i) => {
      const field = fields[i] ?? "options";
      const fix = FIX_FOR[field];
      return `${field} ${issue.message}${fix === undefined ? "" : `: ${fix}`}`;
    });
    throw new FanslyConfigError(`invalid Fansly client options: ${problems.join("; ")}`, [...new Set(fields)]);
  }
  const { baseUrl, ...rest } = parsed.data;
  const url = new URL(baseUrl);
  return { ...rest, maxRequestsPerMinute: rest.maxRequestsPerMinute, rateCoordinatorUrl: rest.rateCoordinatorUrl, origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}
