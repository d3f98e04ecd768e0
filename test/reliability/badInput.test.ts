/**
 * The bad-input catalogue: what a user can get wrong, and the message each gets. Every message names the field
 * and the fix, none echoes the API key, and none of these makes an HTTP call (the emulator's log stays empty).
 * The messages are snapshotted so a change to any of them is a reviewed change.
 */
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { TrackingLinkImplementation } from "../../src/provider";
import { withWhereToSet } from "../../src/provider/config";
import { FanslyClient } from "../../src/client";

const KEY = "bad-input-canary-key-93d1";
const ACCOUNT = "fansly_catalogue";

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.clearRequests();
});

type Config = Record<string, string>;

/** What `pulumi preview` would show for these inputs under this config (and env): check failures or the error. */
async function previewMessages(inputs: Record<string, unknown>, config: Config | "default" = "default", env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const stackConfig = config === "default" ? { "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT } : config;
  const provider = new TrackingLinkImplementation(undefined, env);
  await provider.configure({ config: { get: (key) => stackConfig[key] } });
  try {
    const checked = await provider.check({}, inputs);
    if (checked.failures !== undefined && checked.failures.length > 0) {
      // A failure of the whole resource (no property) is printed as its reason alone.
      return checked.failures.map((failure) => (failure.property === "" ? failure.reason : `${failure.property}: ${failure.reason}`));
    }
    // Inputs that pass check reach create: it too must refuse before any request.
    await provider.create(checked.inputs as Parameters<typeof provider.create>[0]);
    return ["(accepted)"];
  } catch (error) {
    // As the face hands it to the engine: a client option it names, with where the stack sets it.
    return [withWhereToSet(error, "stack config")];
  } finally {
    await provider.close();
  }
}

async function clientMessage(action: (client: FanslyClient) => Promise<unknown>, options: Record<string, unknown> = {}): Promise<string[]> {
  try {
    const client = new FanslyClient({ apiKey: KEY, baseUrl: emulator.url, ...options });
    try {
      await action(client);
      return ["(accepted)"];
    } finally {
      await client.close();
    }
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

const withConfig = (changes: Config): Config => ({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT, ...changes });
const without = (key: string): Config => Object.fromEntries(Object.entries(withConfig({})).filter(([k]) => k !== key));

/** [case, field the message must name, how to get the messages] */
const CATALOGUE: [string, RegExp, () => Promise<string[]>][] = [
  ["empty label", /label/, () => previewMessages({ label: "" })],
  ["label of only spaces", /label/, () => previewMessages({ label: "   " })],
  ["label over 100 characters", /label/, () => previewMessages({ label: "x".repeat(101) })],
  ["label is a number", /label/, () => previewMessages({ label: 42 })],
  ["label missing", /label/, () => previewMessages({ description: "no name" })],
  ["description over 500 characters", /description/, () => previewMessages({ label: "A", description: "d".repeat(501) })],
  ["description is not a string", /description/, () => previewMessages({ label: "A", description: ["a", "b"] })],
  ["unknown property", /colour/, () => previewMessages({ label: "A", colour: "red" })],
  ["misspelt property", /lable/, () => previewMessages({ lable: "A" })],
  ["malformed accountId", /accountId/, () => previewMessages({ label: "A", accountId: "not an id!" })],
  ["empty accountId", /accountId/, () => previewMessages({ label: "A", accountId: "" })],
  ["trackingLinkId with letters", /trackingLinkId/, () => previewMessages({ label: "A", trackingLinkId: "12ab" })],
  ["trackingLinkId as a number", /trackingLinkId/, () => previewMessages({ label: "A", trackingLinkId: 845759434926862336 })],
  ["empty trackingLinkId", /trackingLinkId/, () => previewMessages({ label: "A", trackingLinkId: "" })],
  ["no account anywhere", /accountId/, () => previewMessages({ label: "A" }, without("fansly:accountId"))],
  ["API key missing from config and environment", /fansly:apiKey.*FANSLY_API_KEY/, () => previewMessages({ label: "A" }, without("fansly:apiKey"))],
  ["API key empty", /fansly:apiKey/, () => previewMessages({ label: "A" }, withConfig({ "fansly:apiKey": "" }))],
  ["malformed account id in config", /fansly:accountId/, () => previewMessages({ label: "A" }, withConfig({ "fansly:accountId": "fansly demo" }))],
  ["base URL that is not a URL", /fansly:baseUrl/, () => previewMessages({ label: "A" }, withConfig({ "fansly:baseUrl": "not a url" }))],
  ["plain http to a host that is not loopback", /fansly:baseUrl.*https/, () => previewMessages({ label: "A" }, withConfig({ "fansly:baseUrl": "http://api.example.com" }))],
  ["base URL with another scheme", /fansly:baseUrl/, () => previewMessages({ label: "A" }, withConfig({ "fansly:baseUrl": "ftp://127.0.0.1:21" }))],
  ["base URL from the environment, not a URL", /FANSLY_API_BASE_URL/, () => previewMessages({ label: "A" }, without("fansly:baseUrl"), { FANSLY_API_BASE_URL: "v1.apifansly.com" })],
  ["timeout that is not a number", /fansly:timeoutMs/, () => previewMessages({ label: "A" }, withConfig({ "fansly:timeoutMs": "30s" }))],
  ["negative timeout", /fansly:timeoutMs/, () => previewMessages({ label: "A" }, withConfig({ "fansly:timeoutMs": "-5" }))],
  ["retries that are not a number", /fansly:maxRetries/, () => previewMessages({ label: "A" }, withConfig({ "fansly:maxRetries": "many" }))],
  ["client: blank label", /label/, () => clientMessage((c) => c.trackingLinks.create(ACCOUNT, { label: " " }))],
  ["client: link id that is not one", /trackingLinkId/, () => clientMessage((c) => c.trackingLinks.delete(ACCOUNT, "abc"))],
  ["client: account id that is not one", /accountId/, () => clientMessage((c) => c.trackingLinks.list("../admin"))],
  ["client: key with a line break (pasted)", /apiKey/, () => clientMessage(() => Promise.resolve(), { apiKey: `${KEY}\n` })],
  ["client: timeout of zero", /timeout/, () => clientMessage(() => Promise.resolve(), { timeoutMs: 0 })],
];

describe("the bad-input catalogue", () => {
  const seen: Record<string, string[]> = {};

  test.each(CATALOGUE)("%s: refused before any request, naming %s", async (name, field, messagesOf) => {
    const messages = await messagesOf();
    seen[name] = messages;
    expect(messages).not.toEqual(["(accepted)"]);
    expect(messages.join("\n")).toMatch(field);
    expect(messages.join("\n")).not.toContain(KEY);
    expect(emulator.requests()).toEqual([]);
  });

  test("has at least 25 cases, and their messages are as reviewed", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(25);
    // The emulator's random port is the one part of a message that changes from run to run.
    const stable = JSON.parse(JSON.stringify(seen).replaceAll(emulator.url, "http://127.0.0.1:<port>")) as Record<string, string[]>;
    expect(stable).toMatchSnapshot();
  });
});
