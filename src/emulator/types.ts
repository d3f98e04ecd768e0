import type { ChaosSpec, FaultKind, FaultSpec, QueuedFault } from "./faults";
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
  /** Which of the emulator's keys (its place in `apiKeys`, from 0) an accepted request carried: never the key itself. */
  apiKeyIndex?: number;
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
  /**
   * The faults still queued, each with how many more requests it will hit: a request held by a fault has arrived
   * once its count drops (the request log only has it when it is answered).
   */
  faults(): readonly QueuedFault[];
  /** TCP connections accepted so far; tests use it to prove keep-alive. */
  connectionsOpened(): number;
  /** Closes the server and every socket. */
  close(): Promise<void>;
}
