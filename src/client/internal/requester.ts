/**
 * The request machinery behind `FanslyClient`'s resource classes. Internal: not exported by the package.
 */
import { Agent, type Dispatcher } from "undici";
import type { RequestSite } from "../errors";
import { redactSecrets, registerSecret } from "../redact";
import type { Extraction } from "../schemas";
import { mayReadAgain, mayResendAfterCutOff } from "../recovery";
import { DEFAULT_RETRY_MAX_DELAY_MS, type FanslyClientOptions, type FanslyLogEvent, type ResolvedOptions } from "../options";
import { parseReply } from "./reply";
import type { RetrySettings } from "./retry";
import { currentBudget, remainingMs, withinOneBudget } from "./budget";
import { rateLimitInterceptor, RequestRateLimiter } from "./rateLimit";
import { CoordinatedSlots } from "./rateCoordinator";
import { exchange, withRetries, type OutgoingRequest, type RawReply, type TransportSettings } from "./transport";

/** Keep idle connections this long: a `pulumi up` sends bursts with pauses between steps. */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
const USER_AGENT = "pulumi-fansly";

export type Method = OutgoingRequest["method"];

/**
 * What the resource classes (TrackingLinksApi, AccountsApi) send requests through: the key, one keep-alive
 * dispatcher with the rate limiter and undici's retries, the recovery of rule 1 (recovery.ts), the call budget and
 * logging. Not part of the public client: `FanslyClient` holds one and hands it to its resource classes.
 */
export class Requester {
  // A private field is invisible to util.inspect and JSON.stringify, so logging the client cannot leak the key.
  readonly #apiKey: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownedAgent: Agent | undefined;
  readonly #rateLimiter: RequestRateLimiter;
  /** The fleet's shared budget, when this client runs in a fleet (rateCoordinator.ts). */
  readonly #sharedSlots: CoordinatedSlots | undefined;
  readonly #transport: TransportSettings;
  readonly #basePath: string;
  readonly #logger: ((event: FanslyLogEvent) => void) | undefined;

  constructor(options: FanslyClientOptions, resolved: ResolvedOptions) {
    registerSecret(resolved.apiKey);
    this.#apiKey = resolved.apiKey;
    this.#basePath = resolved.basePath;
    this.#logger = options.logger;
    this.#ownedAgent = options.dispatcher === undefined ? new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS }) : undefined;
    // One limiter per client, under the retries so that each attempt takes a slot (see rateLimit.ts).
    this.#rateLimiter = new RequestRateLimiter(resolved.maxRequestsPerMinute);
    const base: Dispatcher = options.dispatcher ?? (this.#ownedAgent as Agent);
    this.#sharedSlots = resolved.rateCoordinatorUrl === undefined ? undefined : new CoordinatedSlots(resolved.rateCoordinatorUrl);
    // In a fleet, an attempt takes this client's slot first, then the fleet's (so the fleet's is taken when it is
    // sent): both limits hold. undici's compose runs the last interceptor first.
    const gates = this.#sharedSlots === undefined ? [this.#rateLimiter] : [this.#sharedSlots, this.#rateLimiter];
    this.#dispatcher = withRetries(base.compose(gates.map((gate) => rateLimitInterceptor(gate))));
    this.#transport = {
      origin: resolved.origin,
      timeoutMs: resolved.timeoutMs,
      retry: {
        maxRetries: resolved.maxRetries,
        baseDelayMs: resolved.retryBaseDelayMs,
        maxDelayMs: DEFAULT_RETRY_MAX_DELAY_MS,
        maxElapsedMs: resolved.maxRetryTimeMs,
        random: () => Math.random(),
      },
      onRetry: (request, decision, attempt) => {
        this.#log({
          type: "retry",
          method: request.method,
          path: pathOnly(request.path),
          attempt,
          delayMs: decision.delayMs,
          message: `retrying ${request.method} ${pathOnly(request.path)} in ${decision.delayMs} ms (${decision.reason})`,
        });
      },
    };
  }

  /** Closes its own connections. An injected dispatcher is left to its owner. */
  async close(): Promise<void> {
    // Requests waiting for a slot fail now rather than hold the process open; with our own agent gone, later ones too.
    if (this.#ownedAgent === undefined) this.#rateLimiter.cancelWaiting();
    else this.#rateLimiter.close();
    await this.#sharedSlots?.close();
    await this.#ownedAgent?.close();
  }

  /** Sends one request (with retries) and parses its reply. */
  async send<T>(method: Method, path: string, body: unknown, extraction: Extraction<T>): Promise<T> {
    const request: OutgoingRequest = {
      method,
      path: `${this.#basePath}${path}`,
      headers: {
        "x-api-key": this.#apiKey,
        accept: "application/json",
        "user-agent": USER_AGENT,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    };
    const first = await this.#receive(request);
    try {
      return first.parse(extraction);
    } catch (error) {
      if (!mayReadAgain(method, error) || !this.#hasTimeLeft()) throw error;
      this.logRetry(method, pathOnly(request.path), first.attempts + 1, 0, `${error.message.slice(0, 120)}; reading once more`);
      return (await this.#receive(request)).parse(extraction);
    }
  }

  /** Runs one call of the client on one time budget (budget.ts); calls made inside it share the caller's. */
  withinOneCall<T>(call: () => Promise<T>): Promise<T> {
    return withinOneBudget(this.#transport.retry.maxElapsedMs, call);
  }

  #hasTimeLeft(): boolean {
    return remainingMs(currentBudget(this.#transport.retry.maxElapsedMs)) > 0;
  }

  /** One exchange, logged; parsing is left to the caller so a GET can decide to read again. */
  async #receive(request: OutgoingRequest): Promise<{ attempts: number; parse: <T>(extraction: Extraction<T>) => T }> {
    const reply = await this.#exchangeOnceMoreIfCutOff(request);
    const site: RequestSite = { method: request.method, path: pathOnly(request.path), attempts: reply.attempts };
    this.#log({
      type: "response",
      method: request.method,
      path: site.path,
      attempt: reply.attempts,
      status: reply.status,
      message: `${request.method} ${site.path} → ${reply.status} after ${reply.attempts} attempt(s)`,
    });
    return { attempts: reply.attempts, parse: (extraction) => parseReply(reply, site, extraction) };
  }

  /** A reply cut off mid-body is sent again whole, once, when recovery.ts allows it (not a POST). */
  async #exchangeOnceMoreIfCutOff(request: OutgoingRequest): Promise<RawReply> {
    try {
      return await exchange(this.#dispatcher, request, this.#transport);
    } catch (error) {
      if (!mayResendAfterCutOff(request.method, error) || !this.#hasTimeLeft()) throw error;
      const path = pathOnly(request.path);
      this.logRetry(request.method, path, error.attempts + 1, 0, "the reply was cut off mid-body; sending the whole request again");
      const reply = await exchange(this.#dispatcher, request, this.#transport);
      return { ...reply, attempts: reply.attempts + error.attempts };
    }
  }

  /** The retry policy this client was made with (no secret in it), for callers that retry whole operations. */
  retrySettings(): RetrySettings {
    return this.#transport.retry;
  }

  /** Reports a retry of a whole operation (not one request) to the logger, like the transport's own retries. */
  logRetry(method: Method, path: string, attempt: number, delayMs: number, reason: string): void {
    this.#log({ type: "retry", method, path, attempt, delayMs, message: `retrying ${method} ${path} in ${delayMs} ms (${reason})` });
  }

  #log(event: FanslyLogEvent): void {
    this.#logger?.({ ...event, message: redactSecrets(event.message) });
  }
}

/** The path without its query, as logs and errors show it. */
function pathOnly(path: string): string {
  return path.split("?")[0] ?? path;
}
