/** `fansly:maxRequestsPerMinute`: read from stack config, and one limit for every resource of the provider process. */
import { FanslyConfigError, FanslyNetworkError } from "../../src/client";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { resolveProviderSettings, TrackingLinkImplementation, type ConfigSource } from "../../src/provider";

const KEY = "provider-rate-key-3317";
const ACCOUNT = "fansly_demo";

function stackConfig(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

describe("fansly:maxRequestsPerMinute", () => {
  test("becomes the client's maxRequestsPerMinute", () => {
    const settings = resolveProviderSettings(stackConfig({ "fansly:apiKey": KEY, "fansly:maxRequestsPerMinute": "1000" }), {});
    expect(settings.client.maxRequestsPerMinute).toBe(1000);
  });

  test("is left unset by default, so the API's own X-RateLimit-Limit can apply", () => {
    expect(resolveProviderSettings(stackConfig({ "fansly:apiKey": KEY }), {}).client.maxRequestsPerMinute).toBeUndefined();
  });

  test.each([
    ["0", /fansly:maxRequestsPerMinute must be at least 1: run `pulumi config set fansly:maxRequestsPerMinute 600`/],
    ["ten", /fansly:maxRequestsPerMinute must be a whole number: run `pulumi config set fansly:maxRequestsPerMinute 600`/],
  ])("%p is refused with the command that fixes it", (value, message) => {
    const attempt = () => resolveProviderSettings(stackConfig({ "fansly:apiKey": KEY, "fansly:maxRequestsPerMinute": value }), {});
    expect(attempt).toThrow(FanslyConfigError);
    expect(attempt).toThrow(message);
  });

  test("falls back to FANSLY_MAX_REQUESTS_PER_MINUTE (a runner's share per stack); stack config wins", () => {
    const env = { FANSLY_MAX_REQUESTS_PER_MINUTE: "150" };
    expect(resolveProviderSettings(stackConfig({ "fansly:apiKey": KEY }), env).client.maxRequestsPerMinute).toBe(150);
    expect(resolveProviderSettings(stackConfig({ "fansly:apiKey": KEY, "fansly:maxRequestsPerMinute": "300" }), env).client.maxRequestsPerMinute).toBe(300);
  });

  test("a fleet's FANSLY_RATE_COORDINATOR_URL reaches the client, which then shares the fleet's budget", () => {
    const url = "http://127.0.0.1:4000/token/stack-a";
    expect(resolveProviderSettings(stackConfig({ "fansly:apiKey": KEY }), { FANSLY_RATE_COORDINATOR_URL: url }).client.rateCoordinatorUrl).toBe(url);
  });
});

describe("one provider process", () => {
  let emulator: RunningEmulator;
  let provider: TrackingLinkImplementation | undefined;

  beforeEach(async () => {
    emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  });
  afterEach(async () => {
    await provider?.close();
    await emulator.close();
  });

  test("paces every resource under the one limit: the third parallel create waits instead of being sent", async () => {
    const shared = (provider = new TrackingLinkImplementation(undefined, {}));
    await shared.configure({
      config: stackConfig({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:maxRequestsPerMinute": "2" }),
    });
    const creates = ["Bio", "Story", "Reddit"].map((label) =>
      shared.create({ label, description: "", accountId: ACCOUNT }).catch((error: unknown) => error),
    );
    await Promise.all(creates.slice(0, 2));
    expect(emulator.requests()).toHaveLength(2);

    provider = undefined; // closed here: the third create, still waiting for a slot, fails unsent
    await shared.close();
    await expect(creates[2]).resolves.toBeInstanceOf(FanslyNetworkError);
    expect(emulator.store.customLinks(ACCOUNT).map((link) => link.label).sort()).toEqual(["Bio", "Story"]);
  });
});
