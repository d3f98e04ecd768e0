/**
 * TrackingLink registers with V8's stack trace limit at 0 (the SDK's per-property promise stacks are the costly part
 * of a large program: see src/resource.ts). The limit must be back as it was afterwards, whatever happened.
 */
import * as pulumi from "@pulumi/pulumi";

void pulumi.runtime.setMocks(
  {
    newResource: (args: pulumi.runtime.MockResourceArgs) => ({ id: "845759434926862336", state: args.inputs as Record<string, unknown> }),
    call: (args: pulumi.runtime.MockCallArgs) => args.inputs as Record<string, unknown>,
  },
  "project",
  "stack",
  false,
);

import { TrackingLink } from "../../src";

function settled(link: TrackingLink): Promise<string> {
  return new Promise((resolve) => link.urn.apply(resolve));
}

afterEach(() => {
  Error.stackTraceLimit = 10;
});

test("registering a TrackingLink leaves Error.stackTraceLimit as it was", async () => {
  Error.stackTraceLimit = 17;
  const link = new TrackingLink("kept", { label: "Kept", accountId: "fansly_demo" });
  expect(Error.stackTraceLimit).toBe(17);
  await settled(link);
});

test("a registration the SDK refuses still restores the limit, and its error still says what is wrong", () => {
  Error.stackTraceLimit = 12;
  const bad = { parent: "not-a-resource" } as unknown as pulumi.CustomResourceOptions;
  expect(() => new TrackingLink("refused", { label: "Refused" }, bad)).toThrow(/parent/i);
  expect(Error.stackTraceLimit).toBe(12);
});
