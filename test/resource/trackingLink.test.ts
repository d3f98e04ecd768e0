/** A Pulumi program under setMocks: the resource's typing, and what the serialized provider text holds. */
import * as pulumi from "@pulumi/pulumi";

const serializedProviders: string[] = [];
const MAX_SHIM_BYTES = 2048;

void pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      const inputs = args.inputs as Record<string, unknown>;
      const provider = inputs.__provider;
      if (typeof provider === "string") serializedProviders.push(provider);
      return { id: "845759434926862336", state: { ...inputs, trackingLinkId: "845759434926862336", adopted: false } };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      return args.inputs as Record<string, unknown>;
    },
  },
  "project",
  "stack",
  false,
);

// Imported after setMocks, as Pulumi's testing guide says.
import { TrackingLink } from "../../src";

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
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
    const text = serializedProviders.at(-1) ?? "";
    expect(text.length).toBeGreaterThan(0);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SHIM_BYTES);
    expect(text).toContain('require("pulumi-fansly/provider")');
    expect(text).not.toContain("canary-key-in-environment-0001");
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/zod|undici|cov_/);
    delete process.env.FANSLY_API_KEY;
  });
});
