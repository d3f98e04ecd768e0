/** A Pulumi program under setMocks: the resource's typing, and what the serialized provider text holds. */
import * as pulumi from "@pulumi/pulumi";
import { mockPulumi, valueOf } from "./pulumiMocks";

const MAX_SHIM_BYTES = 2048;
const registered = mockPulumi();

// Imported after setMocks, as Pulumi's testing guide says.
import { TrackingLink } from "../../src";
import { plainApiKeyWarning } from "../../src/resource";
import { TrackingLink as PluginTrackingLink } from "../../src/plugin";

/** The serialized provider text of each TrackingLink registered so far. */
function serializedProviders(): string[] {
  return registered.flatMap((r) => (typeof r.inputs.__provider === "string" ? [r.inputs.__provider] : []));
}

describe("TrackingLink", () => {
  test("registers as pulumi-nodejs:dynamic/fansly:TrackingLink with typed outputs", async () => {
    const link = new TrackingLink("bio", { label: "Twitter bio", accountId: "fansly_demo" });
    const [urn, label, id] = await Promise.all([valueOf(link.urn), valueOf(link.label), valueOf(link.trackingLinkId)]);
    expect(urn).toContain("pulumi-nodejs:dynamic/fansly:TrackingLink::bio");
    expect(label).toBe("Twitter bio");
    expect(id).toBe("845759434926862336");
  });

  test("the serialized provider is small, loads the package by name, and holds no key and no absolute path", async () => {
    process.env.FANSLY_API_KEY = "canary-key-in-environment-0001";
    const link = new TrackingLink("reddit", { label: "Reddit", description: "post #3" });
    await valueOf(link.urn);
    const text = serializedProviders().at(-1) ?? "";
    expect(text.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SHIM_BYTES);
    expect(text).toContain('require("pulumi-fansly/provider")');
    expect(text).not.toContain("canary-key-in-environment-0001");
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/zod|undici|cov_/);
    delete process.env.FANSLY_API_KEY;
  });
});

describe("TrackingLink.get and isInstance, as on the plugin face", () => {
  test("get reads a link's state by its id, claiming nothing; isInstance tells this face's links from the plugin face's", async () => {
    const adopted = new TrackingLink("adopted", { label: "Bio", trackingLinkId: "845759434926862999" });
    // A `get` of the same link is no second owner (declaredLinks.ts): it only reads state.
    const read = TrackingLink.get("read", "845759434926862999");
    expect(await valueOf(read.urn)).toContain("pulumi-nodejs:dynamic/fansly:TrackingLink::read");
    await valueOf(adopted.urn);
    expect([TrackingLink.isInstance(read), TrackingLink.isInstance(new PluginTrackingLink("on-plugin", { label: "Bio" })), TrackingLink.isInstance({})]).toEqual([true, false, false]);
  });
});

describe("an API key kept in plain-text config", () => {
  const KEY_IN_CONFIG = "canary-key-in-config-0002";
  afterEach(() => {
    pulumi.runtime.setAllConfig({}, []);
    jest.restoreAllMocks();
  });

  test("set with --secret: no warning", async () => {
    pulumi.runtime.setAllConfig({ "fansly:apiKey": KEY_IN_CONFIG }, ["fansly:apiKey"]);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    await valueOf(new TrackingLink("secret-key", { label: "A" }).urn);
    expect(warn).not.toHaveBeenCalled();
    expect(plainApiKeyWarning()).toBeUndefined();
  });

  test("set in plain: the program warns once, with the exact command, and without the key", async () => {
    pulumi.runtime.setAllConfig({ "fansly:apiKey": KEY_IN_CONFIG }, []);
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    await valueOf(new TrackingLink("plain-key-1", { label: "A" }).urn);
    await valueOf(new TrackingLink("plain-key-2", { label: "B" }).urn);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toContain("pulumi config set --secret fansly:apiKey <your-api-key> --stack stack");
    expect(message).not.toContain(KEY_IN_CONFIG);
  });

  test("not in config at all (the key comes from FANSLY_API_KEY): no warning", () => {
    expect(plainApiKeyWarning()).toBeUndefined();
  });
});
