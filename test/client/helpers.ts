import { MockAgent } from "undici";
import { FanslyClient, type FanslyClientOptions } from "../../src/client";

const ORIGIN = "https://v1.apifansly.com";
export const ACCOUNT = "fansly_acct1";
export const LINKS_PATH = `/api/fansly/${ACCOUNT}/tracking-links`;
/** A canary: if this string shows up anywhere a person can read, the key leaked. */
export const CANARY_KEY = "canary-key-7f3a9c1e5b";

export function linkJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "845759434926862336",
    label: "Twitter bio",
    description: "",
    type: 1000,
    internalId: "1",
    status: 1,
    createdAt: 1774000000000,
    clicks: 3,
    claims: 0,
    follows: 1,
    subscriptions: 0,
    totalGross: 0,
    totalNet: 0,
    ...overrides,
  };
}

/** The documented two-layer success envelope around Fansly's `response`. */
export function scoped(response: unknown, statusCode = 200): Record<string, unknown> {
  return {
    statusCode,
    message: "Success",
    data: { status_code: 200, data: { success: true, response } },
    timestamp: "2026-03-21T04:28:01.816Z",
  };
}

export function errorEnvelope(statusCode: number, message: string): Record<string, unknown> {
  return { statusCode, message, data: null, timestamp: "2026-03-21T04:28:01.816Z" };
}

export interface MockSetup {
  agent: MockAgent;
  pool: ReturnType<MockAgent["get"]>;
  client: FanslyClient;
}

/** A client over a MockAgent that refuses real network connections. */
export function mockClient(options: Partial<FanslyClientOptions> = {}): MockSetup {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const client = new FanslyClient({ apiKey: CANARY_KEY, dispatcher: agent, retryBaseDelayMs: 1, ...options });
  return { agent, pool: agent.get(ORIGIN), client };
}

/** Runs `promise` to completion while advancing fake timers, so backoff waits pass instantly but in order. */
export async function settleWithFakeTimers<T>(promise: Promise<T>, stepMs = 50, maxSteps = 100_000): Promise<T> {
  const state = { done: false };
  const tracked = promise.finally(() => {
    state.done = true;
  });
  tracked.catch(() => undefined);
  for (let step = 0; step < maxSteps && !state.done; step++) {
    await jest.advanceTimersByTimeAsync(stepMs);
  }
  return tracked;
}
