/** The provider's lifecycle methods called directly, against the emulator over real HTTP. */
import { FanslyValidationError } from "../../src/client";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { TrackingLinkImplementation, type CheckedInputs, type TrackingLinkOutputs } from "../../src/provider";

const KEY = "provider-test-key-1234";
const ACCOUNT = "fansly_demo";
let emulator: RunningEmulator;
let provider: TrackingLinkImplementation;

function configFor(values: Record<string, string>): { config: { get: (key: string) => string | undefined } } {
  return { config: { get: (key) => values[key] } };
}

beforeEach(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT, "fansly_other"] });
  provider = new TrackingLinkImplementation(undefined, {});
  await provider.configure(configFor({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT }));
});

afterEach(async () => {
  await provider.close();
  await emulator.close();
});

/** Each request's method; the accounts listing (`check` of a link new to its account, once per process) by name. */
function apiCalls(): string[] {
  return emulator.requests().map((r) => (r.path === "/api/fansly/accounts" ? "GET accounts" : r.method));
}

async function checked(news: Record<string, unknown>): Promise<CheckedInputs> {
  const result = await provider.check({}, news);
  expect(result.failures).toEqual([]);
  return result.inputs as CheckedInputs;
}

async function created(news: Record<string, unknown>): Promise<TrackingLinkOutputs> {
  const result = await provider.create(await checked(news));
  return result.outs as TrackingLinkOutputs;
}

describe("configure", () => {
  test("an explicit provider's missing key names its own argument, not stack config", async () => {
    const bare = new TrackingLinkImplementation(undefined, {});
    await bare.configure({ ...configFor({}), source: "provider inputs" });
    const { failures } = await bare.check({}, { label: "x" });
    expect(failures?.map((failure) => failure.reason)).toEqual([
      "Fansly provider configuration: this provider's apiKey is not set: set this provider's `apiKey`, or the FANSLY_API_KEY environment variable",
    ]);
  });

  test("calls that arrive while configure is still running wait for it instead of failing", async () => {
    const fresh = new TrackingLinkImplementation(undefined, {});
    const configuring = fresh.configure(configFor({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT }));
    const [inputs] = await Promise.all([fresh.check({}, { label: "Early" }), configuring]);
    expect(inputs.failures).toEqual([]);
    await fresh.close();
  });
});

describe("check", () => {
  test.each([
    [{ label: "" }, "label", /must not be empty/],
    [{ label: "   " }, "label", /must not be empty/],
    [{ label: "x".repeat(101) }, "label", /at most 100 characters/],
    [{ label: 42 }, "label", /must be a string/],
    [{ label: "ok", description: 7 }, "description", /must be a string/],
    [{ label: "ok", description: "d".repeat(501) }, "description", /at most 500/],
    [{ label: "ok", accountId: "not an id!" }, "accountId", /apifansly's account id/],
    [{ label: "ok", trackingLinkId: "abc" }, "trackingLinkId", /string of digits/],
    [{ label: "ok", colour: "red" }, "colour", /is not a TrackingLink property/],
  ])("%p fails on %s with a reason that names the fix, and no HTTP call", async (news, property, reason) => {
    const result = await provider.check({}, { ...news, __provider: "serialized" });
    expect(result.failures).toEqual([{ property, reason: expect.stringMatching(reason) as unknown }]);
    expect(emulator.requests()).toHaveLength(0);
  });

  test.each([
    ["a newline", "Twitter\nbio", /U\+000A \(line feed \(a new line\)\) at character 8/],
    ["a NUL", "Bio\u0000", /U\+0000 \(NUL\) at character 4/],
    ["a right-to-left override", "\u202Etxt.exe", /U\+202E \(right-to-left override\) at character 1/],
    ["a left-to-right isolate", "ab\u2066c", /U\+2066 \(left-to-right isolate\) at character 3/],
    ["only zero-width spaces", "\u200B\u200B\u200B", /only invisible characters \(U\+200B \(zero width space\)\)/],
  ])("a label holding %s is refused at check, naming the character and where", async (_what, label, reason) => {
    const result = await provider.check({}, { label });
    expect(result.failures).toEqual([{ property: "label", reason: expect.stringMatching(reason) as unknown }]);
    expect(emulator.requests()).toHaveLength(0);
  });

  test("label length counts characters as a person does: 100 emoji fit, 101 do not", async () => {
    expect((await provider.check({}, { label: "🎉".repeat(100) })).failures).toEqual([]);
    const over = await provider.check({}, { label: "🎉".repeat(101) });
    expect(over.failures).toEqual([{ property: "label", reason: expect.stringMatching(/at most 100 characters/) as unknown }]);
  });

  test("a label with a zero-width joiner inside visible text (an emoji sequence) is accepted", async () => {
    expect((await provider.check({}, { label: "Dev 👩\u200D💻" })).failures).toEqual([]);
  });

  test("fills description and the configured account, and drops the serialized provider from what it checks", async () => {
    expect(await checked({ label: "Bio", __provider: "x" })).toEqual({ label: "Bio", description: "", accountId: ACCOUNT });
  });

  test("with no account anywhere, accountId fails with the ways to set it", async () => {
    const noAccount = new TrackingLinkImplementation(undefined, {});
    await noAccount.configure(configFor({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url }));
    const result = await noAccount.check({}, { label: "x" });
    expect(result.failures).toEqual([{ property: "accountId", reason: expect.stringMatching(/fansly:accountId.*FANSLY_ACCOUNT_ID/) as unknown }]);
    await noAccount.close();
  });
});

describe("diff", () => {
  const olds = { trackingLinkId: "1", accountId: ACCOUNT, label: "A", description: "", adopted: false, __provider: "old text" };

  test("no change is no diff, even when only the serialized provider text changed", async () => {
    const result = await provider.diff("1", olds, { label: "A", description: "", accountId: ACCOUNT });
    expect(result).toMatchObject({ changes: false, replaces: [] });
  });

});

// The lifecycle's requests, diffs and check failures both faces share: test/provider/faces.test.ts.
describe("create, update, read, delete", () => {
  test("read brings back drift in label and description, as outputs and as inputs", async () => {
    const outs = await created({ label: "Before", description: "" });
    emulator.store.updateLink(ACCOUNT, outs.trackingLinkId, { label: "Edited by hand", description: "oops" });
    const read = await provider.read(outs.trackingLinkId, outs);
    expect(read.id).toBe(outs.trackingLinkId);
    expect(read.props).toMatchObject({ label: "Edited by hand", description: "oops" });
    expect(read.inputs).toEqual({ label: "Edited by hand", description: "oops", accountId: ACCOUNT });
  });

  test("a create whose reply was lost adopts the link it made instead of making a second", async () => {
    emulator.addFault({ method: "POST", kind: "apply-then-drop" });
    const outs = await created({ label: "Lost reply" });
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual([outs.trackingLinkId]);
  });
});

describe("adopting an existing link", () => {
  test("adopting with matching label makes no POST and no PUT; a later delete deletes it", async () => {
    const existing = emulator.store.createLink(ACCOUNT, { label: "Made by hand", description: "" });
    emulator.clearRequests();
    const outs = await created({ label: "Made by hand", trackingLinkId: existing.id });
    expect(outs).toMatchObject({ trackingLinkId: existing.id, adopted: true });
    expect(apiCalls()).toEqual(["GET accounts", "GET"]);
    const next = await provider.diff(existing.id, outs, await checked({ label: "Made by hand", trackingLinkId: existing.id }));
    expect(next.changes).toBe(false);
    await provider.delete(existing.id, outs);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
  });

  test("adopting an id the account does not have fails the check (preview) naming the id, the account and the fix; create refuses it too", async () => {
    const { failures } = await provider.check({}, { label: "x", trackingLinkId: "123456789" });
    expect(failures).toEqual([
      { property: "trackingLinkId", reason: expect.stringMatching(/^trackingLinkId 123456789 does not exist in account fansly_demo: check the id .*or remove trackingLinkId to create a new link$/) as unknown },
    ]);
    // `up` without a preview, or a link deleted since: create looks again.
    await expect(provider.create({ label: "x", description: "", accountId: ACCOUNT, trackingLinkId: "123456789" })).rejects.toThrow(/trackingLinkId 123456789 does not exist in account fansly_demo/);
    expect(emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });

  test("adopting a built-in link is refused at check with a clear message, and by create as an input error", async () => {
    const builtIn = emulator.store.listLinks(ACCOUNT)[0];
    const { failures } = await provider.check({}, { label: "For You", trackingLinkId: builtIn?.id });
    expect(failures?.map((failure) => failure.reason)).toEqual([expect.stringContaining(`is Fansly's built-in "For You" link, which cannot be edited or deleted: remove this resource`)]);
    // The link exists: the error is not "not found" but the input error that says to change the program.
    await expect(provider.create({ label: "For You", description: "", accountId: ACCOUNT, trackingLinkId: builtIn?.id })).rejects.toBeInstanceOf(FanslyValidationError);
    expect(emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
  });

  test("an adopted link already in the resource's state is not looked up again by check", async () => {
    const existing = emulator.store.createLink(ACCOUNT, { label: "Kept", description: "" });
    const olds = { label: "Kept", accountId: ACCOUNT, trackingLinkId: existing.id };
    await provider.check({}, olds);
    emulator.clearRequests();
    expect((await provider.check(olds, olds)).failures).toEqual([]);
    expect(apiCalls()).toEqual([]);
  });
});

describe("one link, one owner (the dynamic face: holders by the owner token stored with each link)", () => {
  test("a link two resources hold in state: deleting the removed one sends no DELETE while diff saw the other keep it", async () => {
    const kept = await created({ label: "Reddit" });
    const copy = { ...kept, ownerToken: "token-of-the-copy" };
    const replacedAway = await created({ label: "Moved" });
    // A new run (a new provider process): the kept resource is diffed, the copy removed from the program.
    const run = new TrackingLinkImplementation(undefined, {});
    await run.configure(configFor({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT }));
    await run.diff(kept.trackingLinkId, kept, await checked({ label: "Reddit" }));
    // Replaced (another account): this resource lets its old link go, so its delete still deletes it.
    await run.diff(replacedAway.trackingLinkId, replacedAway, await checked({ label: "Moved", accountId: "fansly_other" }));
    emulator.clearRequests();
    await run.delete(copy.trackingLinkId, copy);
    expect(apiCalls()).toEqual([]);
    await run.delete(replacedAway.trackingLinkId, replacedAway);
    expect(apiCalls()).toEqual(["DELETE"]);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual([kept.trackingLinkId]);
    await run.close();
  });
});
