/**
 * One key's requests-per-minute shared by several processes on one machine: the stacks a fleet runs side by side
 * (`pulumi-fansly fleet`). apifansly counts per key, so k stacks each pacing themselves to 600/min send k × 600 and
 * earn 429s. The fleet runner starts one coordinator; every provider process it runs asks it for a slot before each
 * attempt (a `SlotGate` under the client's retries, like the client's own limiter, which still applies).
 *
 * Why a small local server and not a file with a lock, or an even split: the coordinator is one `RequestRateLimiter`
 * (the sliding window and first-come-first-served queue a single client already uses), so the rule stays in one
 * place; its lifetime is the runner's, so nothing stale is left behind; and unlike an even split (limit / k per
 * stack), a stack running alone at the end of a fleet, or a small stack beside a big one, gets the whole minute.
 *
 * The URL carries a random token (only the processes the runner gave it to take slots) and the member's name, so the
 * runner can say how many requests each stack sent. Loopback only.
 *
 * A member tells the coordinator when each request ended (`settle`, without waiting for an answer), so a slot counts
 * from its reply, as the client's own limiter counts it; a settle that never comes (a killed provider) leaves the
 * slot counted from its start plus the in-flight margin, as if the reply had come late.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { FanslyNetworkError, NOT_SENT_CODE } from "../errors";
import { closedError, pauseAfter429Ms, RequestRateLimiter, type Slot, type SlotGate } from "./rateLimit";
import { messageOf } from "../../thrown";

/** The environment variable through which the fleet runner hands each stack's provider its coordinator URL. */
export const RATE_COORDINATOR_ENV = "FANSLY_RATE_COORDINATOR_URL";
/** A member name: what a stack name may hold (Pulumi's own rule), so it goes into a URL path as it is. */
const MEMBER_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;
const HOST = "127.0.0.1";
/** Idle keep-alive connections to the coordinator: a provider asks again within milliseconds while it works. */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/** A running coordinator, owned by the fleet runner. */
export interface RateCoordinator {
  /** Requests a minute shared by every member. */
  readonly limit: number;
  /** The URL a member's providers are given (in RATE_COORDINATOR_ENV). */
  urlFor(member: string): string;
  /** Slots granted to `member` so far: the requests it sent, retries included. */
  requestsOf(member: string): number;
  /** 429s members reported. */
  readonly rateLimitedReplies: number;
  /** Slots granted whose request no member has yet reported ended. */
  readonly inFlight: number;
  /** Members' requests waiting for a slot now. */
  readonly waiting: number;
  close(): Promise<void>;
}

/** Starts a coordinator on 127.0.0.1 (a free port) for `maxRequestsPerMinute` shared requests. */
export async function startRateCoordinator(maxRequestsPerMinute: number): Promise<RateCoordinator> {
  const limiter = new RequestRateLimiter(maxRequestsPerMinute);
  const token = randomBytes(16).toString("hex");
  const granted = new Map<string, number>();
  /** Slots granted and not yet settled, by the id their member was given. */
  const open = new Map<string, Slot>();
  let nextSlotId = 1;
  let rateLimited = 0;

  const server = createServer((req, res) => {
    const route = routeOf(req, token);
    if (route === undefined) {
      reply(res, 404, "not a rate-coordinator route");
      return;
    }
    if (route.action === "pause") {
      rateLimited++;
      limiter.holdFor(route.ms);
      reply(res, 200, "held");
      return;
    }
    if (route.action === "settle") {
      open.get(route.slot)?.settle();
      open.delete(route.slot);
      reply(res, 200, "settled");
      return;
    }
    limiter.enqueue(
      (slot) => {
        granted.set(route.member, (granted.get(route.member) ?? 0) + 1);
        const id = String(nextSlotId++);
        open.set(id, slot);
        reply(res, 200, `go ${id}`);
      },
      () => { reply(res, 503, "the coordinator is closing"); },
    );
  });
  // Slots are long polls: a waiting member may hold its request open for a minute or more.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => { resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  return {
    limit: maxRequestsPerMinute,
    urlFor: (member) => {
      if (!MEMBER_PATTERN.test(member)) throw new TypeError(`rate coordinator member "${member}" must match ${MEMBER_PATTERN.source}`);
      return `http://${HOST}:${port}/${token}/${member}`;
    },
    requestsOf: (member) => granted.get(member) ?? 0,
    get rateLimitedReplies() {
      return rateLimited;
    },
    get inFlight() {
      return open.size;
    },
    get waiting() {
      return limiter.waiting;
    },
    close: () => {
      limiter.close();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}

type Route =
  | { action: "slot"; member: string }
  | { action: "settle"; member: string; slot: string }
  | { action: "pause"; member: string; ms: number };

function routeOf(req: IncomingMessage, token: string): Route | undefined {
  if (req.method !== "POST") return undefined;
  const url = new URL(req.url ?? "/", `http://${HOST}`);
  const [, given, member, action] = url.pathname.split("/");
  if (given !== token || member === undefined || !MEMBER_PATTERN.test(member)) return undefined;
  if (action === "slot") return { action, member };
  const slot = url.searchParams.get("slot");
  if (action === "settle" && slot !== null && /^\d{1,15}$/.test(slot)) return { action, member, slot };
  const ms = Number(url.searchParams.get("ms"));
  if (action === "pause" && Number.isSafeInteger(ms) && ms >= 0) return { action, member, ms };
  return undefined;
}

function reply(res: ServerResponse, status: number, text: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(text);
}

/** Is `url` a coordinator URL a provider may be given: http on loopback, a token and a member in its path. */
export function coordinatorUrlProblem(url: string): string | undefined {
  if (!URL.canParse(url)) return "is not a URL";
  const parsed = new URL(url);
  if (parsed.protocol !== "http:" || parsed.hostname !== HOST) return `must be http://${HOST}:<port>/… (the fleet runner's coordinator, on this machine)`;
  if (parsed.pathname.split("/").filter((part) => part !== "").length !== 2) return "must end in /<token>/<stack> (as the fleet runner writes it)";
  return undefined;
}

/**
 * A client's side of the shared budget: every attempt waits for the coordinator's slot; a 429 the client sees holds
 * every member back. If the coordinator cannot be reached, the request fails unsent (nothing reached the API).
 */
export class CoordinatedSlots implements SlotGate {
  readonly #url: string;
  readonly #agent = new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  readonly #waiting = new Set<AbortController>();
  #closed = false;

  constructor(url: string) {
    this.#url = url.replace(/\/+$/, "");
  }

  /** Never without asking: another process may have taken the minute. */
  tryStart(): undefined {
    return undefined;
  }

  enqueue(start: (slot: Slot) => void, fail: (error: Error) => void): void {
    if (this.#closed) {
      fail(closedError());
      return;
    }
    const controller = new AbortController();
    this.#waiting.add(controller);
    request(`${this.#url}/slot`, { method: "POST", dispatcher: this.#agent, signal: controller.signal, headersTimeout: 0, bodyTimeout: 0 })
      .then(async (answer) => {
        const text = await answer.body.text();
        if (answer.statusCode === 200) start(this.#slotFrom(text));
        else fail(unreachable(`answered ${answer.statusCode}`));
      })
      .catch((error: unknown) => {
        fail(controller.signal.aborted ? closedError() : unreachable(messageOf(error)));
      })
      .finally(() => this.#waiting.delete(controller));
  }

  observe(statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    if (statusCode !== 429 || this.#closed) return;
    // Best effort: the client's own limiter already holds this process back; this holds the others too.
    this.#tell(`pause?ms=${pauseAfter429Ms(headers)}`);
  }

  /** The granted slot, settled by telling the coordinator (an answer without an id cannot be settled early). */
  #slotFrom(answer: string): Slot {
    const id = /^go (\d{1,15})$/.exec(answer.trim())?.[1];
    let settled = false;
    return {
      settle: () => {
        if (settled || id === undefined) return;
        settled = true;
        this.#tell(`settle?slot=${id}`);
      },
    };
  }

  /** A message the coordinator need not answer: a lost one only costs the fleet some speed, never a 429. */
  #tell(what: string): void {
    if (this.#closed) return;
    request(`${this.#url}/${what}`, { method: "POST", dispatcher: this.#agent })
      .then((answer) => answer.body.dump())
      .catch(() => undefined);
  }

  /** Fails every request waiting for a slot (they were not sent). */
  cancelWaiting(): void {
    for (const controller of this.#waiting) controller.abort();
    this.#waiting.clear();
  }

  /** Fails what waits and closes the connections to the coordinator; a second call does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.cancelWaiting();
    await this.#agent.close();
  }
}

function unreachable(why: string): FanslyNetworkError {
  return new FanslyNetworkError(
    `the fleet's shared rate budget (${RATE_COORDINATOR_ENV}) did not give this request a slot (${why}): nothing was sent; ` +
      `run the stack again through \`pulumi-fansly fleet\`, or unset ${RATE_COORDINATOR_ENV} to run it on its own`,
    { causeCode: NOT_SENT_CODE },
  );
}
