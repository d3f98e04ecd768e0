import type { ChaosSpec } from "./faults";
import type { TrafficSpec } from "./traffic";
import type { EmulatorStore } from "./store";

export interface EmulatorOptions {
  /** Accepted `x-api-key` values. Default `["dev-key"]`. */
  apiKeys?: readonly string[];
  /** Known account ids, each holding Fansly's three built-in links. Default `["fansly_demo"]`. */
  accounts?: readonly string[];
  /** Injected state (see `createStore()`). Default: a fresh in-memory store. */
  store?: EmulatorStore;
  /** JSON file for the state: loaded at start when it exists, rewritten atomically after every change. */
  dataFile?: string;
  /** Milliseconds added before every API reply. Default 0. */
  latencyMs?: number;
  /** Faults queued at start. Default none. */
  faults?: readonly FaultSpec[];
  /** When set, the list endpoint pages with `?offset=&limit=` (at most this many a page). Default: unpaginated. */
  pageSize?: number;
  /**
   * When set, each key may send this many API requests in any sliding minute; the next gets apifansly's documented
   * 429 (`X-RateLimit-Retry-After` in seconds) and is neither applied nor counted. Also sets `X-RateLimit-Limit`.
   * Default: not enforced, and the headers advertise the Starter plan's 600.
   */
  rateLimitPerMinute?: number;
  /** Seeded random faults on a share of all API requests (soak tests). Default none. */
  chaos?: ChaosSpec;
  /** Grow every link's traffic counters on a timer, seeded (see traffic.ts). Default: counters stay as set. */
  simulateTraffic?: TrafficSpec;
}

/** What a fault does to the request it hits. */
export type FaultKind =
  /** Reply with `status` and the documented error envelope; the operation is not applied. */
  | "status"
  /** Destroy the socket before replying (a connection reset); the operation is not applied. */
  | "drop"
  /** Apply the operation, then destroy the socket: the change happened but the reply is lost. */
  | "apply-then-drop"
  /** Apply, wait `latencyMs`, then reply normally (for client timeouts). */
  | "slow-headers"
  /** Apply, send headers with the full Content-Length, write half the body, destroy the socket. */
  | "truncate-body"
  /** Apply, reply 200 with a body that is not JSON. */
  | "malformed-json"
  /** Apply, reply 200 with valid JSON of the wrong shape (`{"ok":true}`). */
  | "wrong-shape";

/** A fault is data: the first queued fault matching a request, with uses left, is consumed by it. */
export interface FaultSpec {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Matches when the request path (without query) contains this text (any when absent). */
  path?: string;
  /** Default `"status"`. */
  kind?: FaultKind;
  /** For kind `"status"`: the HTTP status, and the envelope's statusCode. */
  status?: number;
  /**
   * A number is seconds, sent as both `X-RateLimit-Retry-After` and `Retry-After`; a string is sent verbatim as
   * `Retry-After` only (an HTTP date).
   */
  retryAfter?: number | string;
  /** How many matching requests it hits. Default 1. */
  times?: number;
  /** Extra milliseconds before this reply (for `"slow-headers"`: before the headers). */
  latencyMs?: number;
}

/** One API request as the emulator saw it. The API key is never recorded, only whether it was accepted. */
export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  /** The HTTP status sent, or "dropped" when the socket was destroyed instead. */
  status: number | "dropped";
  fault?: FaultKind;
  accountId?: string;
  /** Whether the request carried an accepted key, a rejected one, or none. */
  apiKey: "accepted" | "rejected" | "missing";
  /** ISO time the request arrived. */
  at: string;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  store: EmulatorStore;
  /** The request log: API routes only, not `/__emulator/`, oldest first. */
  requests(): readonly RecordedRequest[];
  clearRequests(): void;
  addFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** TCP connections accepted so far; tests use it to prove keep-alive. */
  connectionsOpened(): number;
  /** Closes the server and every socket. */
  close(): Promise<void>;
}
