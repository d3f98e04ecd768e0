import { setMaxListeners } from "node:events";
import { createServer } from "node:http";
import type { IncomingMessage, OutgoingHttpHeaders, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { handleAdmin, isAdminPath } from "./admin";
import { accountIdInPath, checkApiKey, dispatchApi, MAX_BODY_BYTES } from "./api";
import type { ApiOutcome } from "./api";
import { readBody } from "./body";
import { errorReply, messageForStatus, RATE_LIMITED_MESSAGE } from "./envelope";
import { errorMessage } from "./errors";
import { FAULT_KIND_TABLE, FaultQueue, type ActiveFault, type FaultDelivery } from "./faults";
import { loadDataFile, saveDataFile } from "./persistence";
import { RateLimitWindow } from "./ratelimit";
import type { RateLimitCheck } from "./ratelimit";
import { redactKeys } from "./redact";
import { RequestLog } from "./requestLog";
import type { RequestBody } from "./schemas";
import { createStore, DEFAULT_ACCOUNTS } from "./store";
import type { EmulatorStore } from "./store";
import { simulateTraffic } from "./traffic";
import type { EmulatorOptions, RunningEmulator } from "./types";

/** The key an emulator accepts when nobody names one (used by `npm run emulator` and the examples). */
export const DEFAULT_API_KEYS: readonly string[] = ["dev-key"];
/** Loopback only: the emulator accepts a well-known key, so it must not be reachable from the network. */
const HOST = "127.0.0.1";
const MAX_PORT = 65_535;
const JSON_CONTENT_TYPE = "application/json; charset=utf-8";
// Raw (non-JSON) bodies are kept in the log only up to this length: enough to see what went wrong.
const MAX_RECORDED_TEXT = 2_048;
// What a proxy cut off mid-reply looks like: the start of a real envelope, then nothing.

export type StartOptions = EmulatorOptions & {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
};

/** Starts an emulator of apifansly.com on 127.0.0.1. Bad options throw a TypeError naming the option. */
export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const store = options.store ?? createStore({ accounts: [] });
  if (options.dataFile !== undefined) loadDataFile(store, options.dataFile);
  // Configured accounts are added to whatever was loaded; the default account only fills an empty emulator.
  const accounts = options.accounts ?? (store.accountIds().length === 0 ? DEFAULT_ACCOUNTS : []);
  for (const accountId of accounts) store.addAccount(accountId);
  const faults = new FaultQueue();
  for (const fault of options.faults ?? []) faults.add(fault);
  if (options.chaos !== undefined) faults.setChaos(options.chaos);

  const emulator = new Emulator({
    apiKeys: options.apiKeys ?? DEFAULT_API_KEYS,
    store,
    faults,
    latencyMs: options.latencyMs ?? 0,
    pageSize: options.pageSize,
    dataFile: options.dataFile,
    rateLimit:
      options.rateLimitPerMinute === undefined ? new RateLimitWindow() : new RateLimitWindow(options.rateLimitPerMinute, true),
  });
  let running: RunningEmulator;
  try {
    running = await emulator.listen(options.port ?? 0);
  } catch (error) {
    emulator.stopSaving();
    throw error;
  }
  if (options.simulateTraffic === undefined) return running;
  const stopTraffic = simulateTraffic(store, options.simulateTraffic);
  return { ...running, close: () => { stopTraffic(); return running.close(); } };
}

function checkOptions(options: StartOptions): void {
  const problems: string[] = [];
  const isWhole = (value: number, minimum: number): boolean => Number.isSafeInteger(value) && value >= minimum;
  if (options.apiKeys !== undefined && (options.apiKeys.length === 0 || options.apiKeys.some((key) => key === ""))) {
    problems.push('apiKeys must list at least one non-empty key, e.g. ["dev-key"]');
  }
  if (options.accounts?.some((account) => account === "") === true) {
    problems.push('accounts must be non-empty ids, e.g. ["fansly_demo"]');
  }
  if (options.latencyMs !== undefined && !isWhole(options.latencyMs, 0)) {
    problems.push("latencyMs must be a whole number of milliseconds, 0 or more");
  }
  if (options.pageSize !== undefined && !isWhole(options.pageSize, 1)) {
    problems.push("pageSize must be a whole number of links, 1 or more (leave it out for an unpaginated list)");
  }
  if (options.rateLimitPerMinute !== undefined && !isWhole(options.rateLimitPerMinute, 1)) {
    problems.push("rateLimitPerMinute must be a whole number of requests, 1 or more (600 is apifansly's Starter plan)");
  }
  const traffic = options.simulateTraffic;
  if (traffic !== undefined && !(Number.isSafeInteger(traffic.seed) && (traffic.intervalMs === undefined || isWhole(traffic.intervalMs, 1)))) {
    problems.push("simulateTraffic must be { seed: a whole number, intervalMs?: 1 or more }, e.g. { seed: 7 }");
  }
  if (options.port !== undefined && !(isWhole(options.port, 0) && options.port <= MAX_PORT)) {
    problems.push(`port must be a whole number from 0 to ${MAX_PORT} (0 picks a free port)`);
  }
  if (problems.length > 0) throw new TypeError(`startEmulator: ${problems.join("; ")}`);
}

interface EmulatorSettings {
  apiKeys: readonly string[];
  store: EmulatorStore;
  faults: FaultQueue;
  latencyMs: number;
  pageSize: number | undefined;
  dataFile: string | undefined;
  rateLimit: RateLimitWindow;
}

class Emulator {
  private readonly server: Server;
  private readonly log = new RequestLog();
  // Aborted on close, so a reply waiting out its latency stops instead of keeping the process alive.
  private readonly closing = new AbortController();
  private connections = 0;
  private lastSeq = 0;
  readonly stopSaving: () => void;

  constructor(private readonly settings: EmulatorSettings) {
    // Every reply waiting out its latency listens on this signal: with many in flight that is not a leak.
    setMaxListeners(0, this.closing.signal);
    const { store, dataFile } = settings;
    if (dataFile === undefined) {
      this.stopSaving = () => undefined;
    } else {
      saveDataFile(store, dataFile); // at start too: an unwritable path fails now, not at the first change
      this.stopSaving = store.onChange(() => {
        saveDataFile(store, dataFile);
      });
    }
    this.server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server.on("connection", () => {
      this.connections += 1;
    });
  }

  async listen(port: number): Promise<RunningEmulator> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, HOST, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const { port: actualPort } = this.server.address() as AddressInfo;
    return {
      url: `http://${HOST}:${actualPort}`,
      port: actualPort,
      store: this.settings.store,
      requests: () => this.log.list(),
      clearRequests: () => {
        this.log.clear();
      },
      addFault: (fault) => {
        this.settings.faults.add(fault);
      },
      clearFaults: () => {
        this.settings.faults.clear();
      },
      faults: () => this.settings.faults.list(),
      connectionsOpened: () => this.connections,
      close: () => this.close(),
    };
  }

  private async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    this.stopSaving();
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? "/", `http://${HOST}`);
      const body = await readBody(request, MAX_BODY_BYTES);
      if (isAdminPath(url.pathname)) {
        this.handleAdmin(request.method ?? "GET", url.pathname, body, response);
      } else {
        await this.handleApi(request, response, url, body);
      }
    } catch (error) {
      // A client that hung up mid-body, or a close() that cut the socket: nobody is left to answer.
      if (request.socket.destroyed || this.closing.signal.aborted) return;
      // Anything else is an emulator bug; answer rather than hang the client, and say so on stderr.
      process.emitWarning(`fansly emulator: unexpected error: ${errorMessage(error)}`);
      if (response.headersSent) {
        response.destroy();
      } else {
        send(response, 500, JSON.stringify(errorReply(500, "Internal server error").envelope), {});
      }
    }
  }

  private handleAdmin(method: string, path: string, body: RequestBody | "too-large", response: ServerResponse): void {
    const reply = handleAdmin(method, path, body, {
      store: this.settings.store,
      faults: this.settings.faults,
      log: this.log,
    });
    send(response, reply.status, JSON.stringify(reply.body), {});
  }

  private async handleApi(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: RequestBody | "too-large",
  ): Promise<void> {
    const seq = (this.lastSeq += 1);
    const at = new Date().toISOString();
    const method = request.method ?? "GET";
    const path = url.pathname;
    const key = checkApiKey(request.headers["x-api-key"], this.settings.apiKeys);
    const { rateLimit } = this.settings;
    const limited: RateLimitCheck =
      key.status === "accepted" ? rateLimit.hit(key.index, Date.now()) : { allowed: true, remaining: rateLimit.limit, retryAfterMs: 0 };
    // A refused request is not applied and consumes no fault: the limit stands in front of everything else.
    const fault = limited.allowed ? this.settings.faults.take(method, path) : undefined;
    const outcome = limited.allowed
      ? this.outcomeFor({ method, path, query: url.searchParams, body, key }, fault)
      : { reply: errorReply(429, RATE_LIMITED_MESSAGE), accountId: accountIdInPath(path) };

    if (!(await this.waitBeforeReplying(fault))) return;

    const status = deliveredStatus(outcome, fault);
    this.log.add({
      seq,
      method,
      path,
      query: redactKeys(Object.fromEntries(url.searchParams), this.settings.apiKeys) as Record<string, string>,
      body: this.recordedBody(body),
      status,
      ...(fault === undefined ? {} : { fault: fault.kind }),
      ...(outcome?.accountId === undefined ? {} : { accountId: outcome.accountId }),
      apiKey: key.status,
      ...(key.status === "accepted" ? { apiKeyIndex: key.index } : {}),
      at,
    });
    deliver(response, outcome, fault, rateLimitHeaders(rateLimit, status === 429 ? 0 : limited.remaining, fault, limited));
  }

  /** The reply a request earns: a status fault's error, nothing for a drop, otherwise the operation applied. */
  private outcomeFor(
    request: Parameters<typeof dispatchApi>[0],
    fault: ActiveFault | undefined,
  ): ApiOutcome | undefined {
    const effect = fault === undefined ? "applied" : FAULT_KIND_TABLE[fault.kind].effect;
    if (effect === "skipped") return undefined;
    if (effect === "refused") {
      const status = fault?.status ?? 500;
      return { reply: errorReply(status, messageForStatus(status)), accountId: accountIdInPath(request.path) };
    }
    return dispatchApi(request, { store: this.settings.store, pageSize: this.settings.pageSize });
  }

  /** False when the emulator closed while waiting: then nobody is left to answer. */
  private async waitBeforeReplying(fault: ActiveFault | undefined): Promise<boolean> {
    const delayMs = this.settings.latencyMs + (fault?.latencyMs ?? 0);
    if (delayMs === 0) return true;
    try {
      await sleep(delayMs, undefined, { signal: this.closing.signal });
      return true;
    } catch {
      return false;
    }
  }

  private recordedBody(body: RequestBody | "too-large"): unknown {
    if (body === "too-large") return `[over ${MAX_BODY_BYTES} bytes, not recorded]`;
    if (body.kind === "empty") return undefined;
    const value = body.kind === "json" ? body.value : body.text.slice(0, MAX_RECORDED_TEXT);
    return redactKeys(value, this.settings.apiKeys);
  }
}

function deliveredStatus(outcome: ApiOutcome | undefined, fault: ActiveFault | undefined): number | "dropped" {
  const delivery = deliveryOf(fault);
  if (delivery.kind === "reset" || delivery.kind === "half-body") return "dropped";
  if (delivery.kind === "fixed-200") return 200;
  return outcome?.reply.status ?? "dropped";
}

function deliveryOf(fault: ActiveFault | undefined): FaultDelivery {
  return fault === undefined ? { kind: "reply" } : FAULT_KIND_TABLE[fault.kind].delivery;
}

function rateLimitHeaders(
  window: RateLimitWindow,
  remaining: number,
  fault: ActiveFault | undefined,
  limited: RateLimitCheck,
): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    "x-ratelimit-limit": String(window.limit),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-plan": window.plan,
  };
  // The enforced limit answers as documented: X-RateLimit-Retry-After in whole seconds, rounded up.
  if (!limited.allowed) headers["x-ratelimit-retry-after"] = String(Math.max(1, Math.ceil(limited.retryAfterMs / 1000)));
  // Documented: X-RateLimit-Retry-After in seconds. Retry-After is not documented but common in front of APIs,
  // so a number sets both and a string (an HTTP date) sets only Retry-After: the client must handle each alone.
  if (typeof fault?.retryAfter === "number") {
    headers["x-ratelimit-retry-after"] = String(fault.retryAfter);
    headers["retry-after"] = String(fault.retryAfter);
  } else if (typeof fault?.retryAfter === "string") {
    headers["retry-after"] = fault.retryAfter;
  }
  return headers;
}

function deliver(
  response: ServerResponse,
  outcome: ApiOutcome | undefined,
  fault: ActiveFault | undefined,
  headers: OutgoingHttpHeaders,
): void {
  const text = outcome === undefined ? "" : JSON.stringify(outcome.reply.envelope);
  const status = outcome?.reply.status ?? 500;
  const delivery = deliveryOf(fault);
  switch (delivery.kind) {
    case "reset":
      // A reset, not a polite close: the client sees ECONNRESET, as when a proxy dies mid-request.
      response.socket?.resetAndDestroy();
      return;
    case "half-body":
      truncate(response, status, text, headers);
      return;
    case "fixed-200":
      send(response, 200, delivery.body, headers);
      return;
    case "reply":
      send(response, status, text, headers);
  }
}

function send(response: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders): void {
  response.writeHead(status, {
    ...headers,
    "content-type": JSON_CONTENT_TYPE,
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** Promises the whole body, sends half, then closes: the client must notice the reply is incomplete. */
function truncate(response: ServerResponse, status: number, text: string, headers: OutgoingHttpHeaders): void {
  const bytes = Buffer.from(text);
  response.writeHead(status, { ...headers, "content-type": JSON_CONTENT_TYPE, "content-length": bytes.length });
  // Destroy only once the half is handed to the socket; a plain close (not a reset) so the half arrives first.
  response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => {
    response.socket?.destroy();
  });
}

