/**
 * One error tree for everything the client can fail with. Callers branch on the class (or the stable `code`);
 * people read the message, which always says what to do next.
 *
 * Only `errorFromReply` maps an HTTP reply to a class and only `errorFromTransport` maps a transport failure,
 * as openai-node's `APIError.generate` does, so the mapping lives in one place.
 */
import { STATUS_CODES } from "node:http";
import { escapeForDisplay } from "../fields";
import { codeOf, messageOf } from "../thrown";
import { redactSecrets } from "./redact";

/** Stable identifiers for programs; messages may change, codes do not. */
export type FanslyErrorCode =
  | "FANSLY_CONFIG"
  | "FANSLY_AUTH"
  | "FANSLY_NOT_FOUND"
  | "FANSLY_VALIDATION"
  | "FANSLY_RATE_LIMITED"
  | "FANSLY_QUOTA"
  | "FANSLY_SERVER"
  | "FANSLY_NETWORK"
  | "FANSLY_TIMEOUT"
  | "FANSLY_PROTOCOL";

/** Where a failure happened. The path never holds the key: the key only ever travels in a header. */
export interface RequestSite {
  /** HTTP method, e.g. `DELETE`. */
  method: string;
  /** Request path, e.g. `/api/fansly/fansly_123/tracking-links`. */
  path: string;
  /** How many times the request was sent, retries included. */
  attempts: number;
}

export interface FanslyErrorFields extends Partial<RequestSite> {
  /** HTTP status of the last reply, when there was one. */
  status?: number;
  /** The server's own `message`, redacted. */
  serverMessage?: string;
  /** The client options the fix is about (`apiKey`, `baseUrl`, …): see `FanslyError.options`. */
  options?: readonly string[];
}

/** Base class of every error this package throws. */
export class FanslyError extends Error {
  readonly code: FanslyErrorCode;
  readonly status: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly attempts: number;
  readonly serverMessage: string | undefined;
  /**
   * The client options (`apiKey`, `baseUrl`, `timeoutMs`, …) the message tells the user to check. The message names
   * each as an option of this client; whoever made the client says where the user sets it (stack config, a
   * provider's inputs, an environment variable, a flag), so the client's own text is right for every host.
   */
  readonly options: readonly string[];

  constructor(code: FanslyErrorCode, message: string, fields: FanslyErrorFields = {}) {
    // Redacting here, not at call sites, is what guarantees no message can carry a key; escaping here, that no
    // server message or excerpt reaches a terminal (the CLI's, or Pulumi's) with a control character it would obey.
    super(escapeForDisplay(redactSecrets(message), { keepLineBreaks: true }));
    this.name = new.target.name;
    this.code = code;
    this.status = fields.status;
    this.method = fields.method;
    this.path = fields.path;
    this.attempts = fields.attempts ?? 0;
    this.options = fields.options ?? [];
    this.serverMessage = fields.serverMessage === undefined ? undefined : escapeForDisplay(redactSecrets(fields.serverMessage));
  }
}

/** A client option is wrong (missing key, bad URL, …). Fix the option named in the message; nothing was sent. */
export class FanslyConfigError extends FanslyError {
  /** `options`: the options at fault (`baseUrl`, `apiKey`, …). */
  constructor(message: string, options: readonly string[] = []) {
    super("FANSLY_CONFIG", message, { options });
  }
}

/** 401/403: the key is missing, wrong, or may not use this account. Fix the `apiKey` option or the account id. */
export class FanslyAuthError extends FanslyError {}

/** 404: the account or link does not exist. Check the id; for a link, it may have been deleted by hand. */
export class FanslyNotFoundError extends FanslyError {}

/** 400/422: the server refused the input. The server's message says which field; fix it in the program. */
export class FanslyValidationError extends FanslyError {}

/** 429 that outlasted every retry. Lower parallelism or the request rate, or wait `retryAfterMs`. */
export class FanslyRateLimitError extends FanslyError {
  /** How long the server asked us to wait, in ms, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, fields: FanslyErrorFields & { retryAfterMs?: number }) {
    super("FANSLY_RATE_LIMITED", message, fields);
    this.retryAfterMs = fields.retryAfterMs;
  }
}

/** The monthly credit allowance is spent. Retrying cannot help: top up in the apifansly dashboard. */
export class FanslyQuotaError extends FanslyError {}

/** 5xx that outlasted every retry (or a 500, which is not retried). Try again later; report it if it persists. */
export class FanslyServerError extends FanslyError {}

/** The connection failed or was cut before a complete reply. The request may or may not have been applied. */
export class FanslyNetworkError extends FanslyError {
  /** undici's or Node's error code, e.g. `ECONNRESET`, when known. */
  readonly causeCode: string | undefined;
  /** True when the reply had begun (status and headers arrived) and was cut off in its body. */
  readonly replyStarted: boolean;

  constructor(
    message: string,
    fields: FanslyErrorFields & { causeCode?: string; replyStarted?: boolean },
    code: FanslyErrorCode = "FANSLY_NETWORK",
  ) {
    super(code, message, fields);
    this.causeCode = fields.causeCode;
    this.replyStarted = fields.replyStarted ?? false;
  }
}

/** No reply within `timeoutMs`. The request may or may not have been applied; raise `timeoutMs` if this repeats. */
export class FanslyTimeoutError extends FanslyNetworkError {
  constructor(message: string, fields: FanslyErrorFields & { causeCode?: string; replyStarted?: boolean }) {
    super(message, fields, "FANSLY_TIMEOUT");
  }
}

/** The reply did not have the shape the API contract promises. Report it: the contract needs a correction. */
export class FanslyProtocolError extends FanslyError {
  /** What we expected, in words (e.g. "a JSON envelope with statusCode and message"). */
  readonly expected: string;
  /** A short, redacted excerpt of what came back. */
  readonly excerpt: string;

  constructor(expected: string, excerpt: string, fields: FanslyErrorFields) {
    const site = fields.method === undefined ? "" : ` (${describeSite(fields)})`;
    super(
      "FANSLY_PROTOCOL",
      `unexpected reply${site}: expected ${expected}, got: ${excerpt || "(empty body)"}. ` +
        "The API may have changed; please report this with the excerpt",
      fields,
    );
    this.expected = expected;
    this.excerpt = escapeForDisplay(redactSecrets(excerpt));
  }
}

function describeSite(site: Partial<RequestSite>): string {
  const where = `${site.method ?? "?"} ${site.path ?? "?"}`;
  return site.attempts !== undefined && site.attempts > 1 ? `${where}, ${site.attempts} attempts` : where;
}

function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? "Unknown Status"}`;
}

/** Credits running out is undocumented; these words in a 402/403/429 message are our best signal. */
const QUOTA_MESSAGE = /credit|quota|allowance|insufficient balance/i;

/** What the factory needs to know about a failed reply. */
export interface FailedReply extends RequestSite {
  status: number;
  serverMessage: string;
  retryAfterMs?: number;
}

/**
 * The one place that turns a failed reply into an error class. `status` is the effective status: the HTTP status,
 * or the inner `statusCode` / `status_code` when a 200 carries an error inside.
 */
export function errorFromReply(reply: FailedReply): FanslyError {
  const { status, serverMessage } = reply;
  const site = describeSite(reply);
  const said = serverMessage ? ` — server said "${serverMessage}"` : "";
  const fields: FanslyErrorFields = { ...reply };
  const head = `${statusLine(status)} (${site})${said}`;

  if ((status === 402 || status === 403 || status === 429) && QUOTA_MESSAGE.test(serverMessage)) {
    return new FanslyQuotaError(
      "FANSLY_QUOTA",
      `${head}: the key's monthly credits look spent; top up in the apifansly dashboard (retrying will not help)`,
      fields,
    );
  }
  if (status === 401) {
    return new FanslyAuthError(
      "FANSLY_AUTH",
      `${head}: the API rejected the key; check the apiKey option`,
      { ...fields, options: ["apiKey"] },
    );
  }
  if (status === 403) {
    return new FanslyAuthError(
      "FANSLY_AUTH",
      `${head}: the key may not use this account; check the apiKey option and the account id, ` +
        "and reconnect the account in the apifansly dashboard if it shows as disconnected",
      { ...fields, options: ["apiKey"] },
    );
  }
  if (status === 404) {
    return new FanslyNotFoundError(
      "FANSLY_NOT_FOUND",
      `${head}: check the account id (GET /api/fansly/accounts lists yours)${namesALink(reply.method) ? " and the tracking link id" : ""}`,
      fields,
    );
  }
  if (status === 400 || status === 422) {
    return new FanslyValidationError("FANSLY_VALIDATION", `${head}: fix the input the server names`, fields);
  }
  if (status === 429) {
    return new FanslyRateLimitError(
      `${head}: rate limited after every retry; send fewer requests at once (pulumi's --parallel) or lower the maxRequestsPerMinute option, or try again later`,
      { ...fields, options: ["maxRequestsPerMinute"], ...(reply.retryAfterMs === undefined ? {} : { retryAfterMs: reply.retryAfterMs }) },
    );
  }
  if (status >= 500) {
    return new FanslyServerError(
      "FANSLY_SERVER",
      `${head}: the API or Fansly failed; try again later, and report it if it persists`,
      fields,
    );
  }
  return new FanslyProtocolError(`a 2xx, 4xx or 5xx status`, `HTTP ${status} ${serverMessage}`, fields);
}

/** Only PUT and DELETE name a link (in their body); a listing or a create names just the account. */
function namesALink(method: string): boolean {
  return method === "PUT" || method === "DELETE";
}

/** Codes undici and Node use for "no complete reply in time". */
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"]);

/** Turns a transport failure (no usable reply) into a `FanslyNetworkError` or `FanslyTimeoutError`. */
export function errorFromTransport(error: unknown, site: RequestSite, timeoutMs: number, replyStarted = false): FanslyNetworkError {
  const causeCode = codeOf(error);
  const detail = messageOf(error);
  const fields = { ...site, replyStarted, ...(causeCode === undefined ? {} : { causeCode }) };
  if (causeCode !== undefined && TIMEOUT_CODES.has(causeCode)) {
    return new FanslyTimeoutError(
      `no reply within ${timeoutMs} ms (${describeSite(site)}, ${causeCode}): ` +
        "the request may or may not have been applied; raise the timeoutMs option if the API is slow",
      { ...fields, options: ["timeoutMs"] },
    );
  }
  const consequence = NAME_LOOKUP_CODES.has(causeCode ?? "")
    ? "nothing was applied: the API's host name did not resolve, so nothing reached the server; check the baseUrl option and this machine's DNS and network"
    : NOT_CONNECTED_CODES.has(causeCode ?? "")
      ? "nothing was applied: nothing reached the server; check that it is up and reachable, and the baseUrl option"
      : "the request may or may not have been applied; check the network and the baseUrl option";
  return new FanslyNetworkError(
    `connection failed (${describeSite(site)}, ${causeCode ?? "no code"}: ${detail}): ${consequence}`,
    { ...fields, options: ["baseUrl"] },
  );
}

/** Our cause code for a request never sent: the client closed while it waited for a rate-limit slot. */
export const NOT_SENT_CODE = "FANSLY_NOT_SENT";

/** Our cause code for a request not sent because its call had spent its time budget (budget.ts). */
const BUDGET_SPENT_CODE = "FANSLY_BUDGET_SPENT";
/** Our cause code for a request cut off in flight when its call's time budget ran out: it may have been applied. */
const BUDGET_CUT_CODE = "FANSLY_BUDGET_CUT";

/** The host name did not resolve (getaddrinfo): no connection was even tried. */
const NAME_LOOKUP_CODES: ReadonlySet<string> = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "EAI_NODATA"]);

/**
 * Transport errors raised before a connection existed: the request provably never reached the server. A name that
 * did not resolve, a refused connection, a network or host that cannot be reached, a connect that timed out.
 */
export const NOT_CONNECTED_CODES: ReadonlySet<string> = new Set([
  ...NAME_LOOKUP_CODES,
  "ECONNREFUSED",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  NOT_SENT_CODE,
  BUDGET_SPENT_CODE,
]);

/**
 * The call spent its `maxRetryTimeMs` (budget.ts): before this request was sent (`sent: false`, nothing reached the
 * server), or while it was in flight (it may or may not have been applied).
 */
export function budgetSpentError(site: RequestSite, maxElapsedMs: number, sent: boolean): FanslyTimeoutError {
  const consequence = sent ? "the request may or may not have been applied" : "this request was not sent";
  return new FanslyTimeoutError(
    `the call spent its whole time budget of ${maxElapsedMs} ms (${describeSite(site)}): ${consequence}; ` +
      "raise the maxRetryTimeMs option, or try again when the API is healthy",
    { ...site, options: ["maxRetryTimeMs"], causeCode: sent ? BUDGET_CUT_CODE : BUDGET_SPENT_CODE, replyStarted: false },
  );
}

