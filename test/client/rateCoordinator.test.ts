/**
 * The fleet's shared rate budget (src/client/internal/rateCoordinator.ts): clients in different stacks (here, two
 * clients in one process, each its own member) draw from one requests-per-minute budget, against a real emulator.
 */
import { FanslyClient, FanslyConfigError, FanslyNetworkError } from "../../src/client";
import { RATE_COORDINATOR_ENV, startRateCoordinator, type RateCoordinator } from "../../src/client/internal/rateCoordinator";
import { startEmulator, type RunningEmulator } from "../../src/emulator";

const KEY = "coordinator-key-5521";
const ACCOUNT = "fansly_demo";
/** Far above the coordinator's budget: only the shared budget can hold these clients back. */
const OWN_LIMIT = 1_000;

let emulator: RunningEmulator;
let coordinator: RateCoordinator;
const clients: FanslyClient[] = [];

function memberClient(member: string, options: { maxRetries?: number } = {}): FanslyClient {
  const client = new FanslyClient({
    apiKey: KEY,
    baseUrl: emulator.url,
    maxRequestsPerMinute: OWN_LIMIT,
    rateCoordinatorUrl: coordinator.urlFor(member),
    ...options,
  });
  clients.push(client);
  return client;
}

/** Closes a client now (failing what waits for a slot), so afterEach does not close it again. */
async function closeNow(client: FanslyClient): Promise<void> {
  clients.splice(clients.indexOf(client), 1);
  await client.close();
}

beforeEach(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  coordinator = await startRateCoordinator(3);
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await coordinator.close();
  await emulator.close();
});

describe("a rate coordinator shared by several clients", () => {
  test("the budget is the fleet's: once the stacks together used the minute, the next request waits unsent", async () => {
    const a = memberClient("stack-a");
    const b = memberClient("stack-b");
    await Promise.all([a.trackingLinks.list(ACCOUNT), b.trackingLinks.list(ACCOUNT), a.trackingLinks.list(ACCOUNT)]);
    expect(emulator.requests()).toHaveLength(3);

    const fourth = b.trackingLinks.list(ACCOUNT).catch((error: unknown) => error);
    await closeNow(b); // it waits for the fleet's next slot, a minute away: closing fails it, unsent
    const error = await fourth;
    expect(error).toBeInstanceOf(FanslyNetworkError);
    expect((error as Error).message).toContain("nothing was sent");
    expect(emulator.requests()).toHaveLength(3);
    expect([coordinator.requestsOf("stack-a"), coordinator.requestsOf("stack-b")]).toEqual([2, 1]);
  });

  test("each member reports when its requests ended, so a slot counts from the reply and not from the grant", async () => {
    const a = memberClient("stack-a");
    await Promise.all([a.trackingLinks.list(ACCOUNT), a.trackingLinks.list(ACCOUNT)]);
    // The report is sent after the reply, without waiting for an answer: poll for it, a bounded while.
    for (let i = 0; i < 100 && coordinator.inFlight > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(coordinator.inFlight).toBe(0);
    expect(coordinator.requestsOf("stack-a")).toBe(2);
  });

  test("a 429 one stack draws holds the other stacks back too", async () => {
    emulator.addFault({ status: 429, retryAfter: 60, times: 1 });
    const a = memberClient("stack-a", { maxRetries: 0 });
    const b = memberClient("stack-b");
    await expect(a.trackingLinks.list(ACCOUNT)).rejects.toThrow(/rate limited/);
    // The pause is reported after the reply; a slot asked for after it is reported waits out the 60 s.
    for (let i = 0; i < 50 && coordinator.rateLimitedReplies === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(coordinator.rateLimitedReplies).toBe(1);

    const held = b.trackingLinks.list(ACCOUNT).catch((error: unknown) => error);
    await closeNow(b);
    expect(await held).toBeInstanceOf(FanslyNetworkError);
    expect(emulator.requests()).toHaveLength(1);
  });

  test("a coordinator that does not answer fails the request unsent, naming the variable to unset", async () => {
    const url = coordinator.urlFor("stack-a");
    await coordinator.close();
    const client = new FanslyClient({ apiKey: KEY, baseUrl: emulator.url, rateCoordinatorUrl: url, maxRetries: 0 });
    clients.push(client);
    const error = await client.trackingLinks.list(ACCOUNT).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(FanslyNetworkError);
    expect((error as Error).message).toContain(RATE_COORDINATOR_ENV);
    expect((error as Error).message).toContain("nothing was sent");
    expect(emulator.requests()).toHaveLength(0);
    coordinator = await startRateCoordinator(3); // for afterEach
  });

  test("a coordinator URL off this machine is refused before any request", () => {
    expect(() => new FanslyClient({ apiKey: KEY, rateCoordinatorUrl: "https://example.com/token/stack" })).toThrow(FanslyConfigError);
    expect(() => new FanslyClient({ apiKey: KEY, rateCoordinatorUrl: "https://example.com/token/stack" })).toThrow(/rateCoordinatorUrl must be http:\/\/127\.0\.0\.1/);
  });

  test("a member name that could leave its URL path is refused", () => {
    expect(() => coordinator.urlFor("../other")).toThrow(TypeError);
  });
});
