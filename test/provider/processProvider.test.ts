/** The dynamic face's provider object: what the engine is handed when a lifecycle call fails. */
import type * as pulumi from "@pulumi/pulumi";
import { attachTrackingLinkMethods, trackingLinkImplementation } from "../../src/provider/processProvider";
import type { CheckedInputs, TrackingLinkOutputs } from "../../src/provider/schemas";

afterAll(async () => {
  await trackingLinkImplementation.close();
});

const INPUTS: CheckedInputs = { label: "A", description: "", accountId: "fansly_demo" };

describe("the dynamic face's provider", () => {
  test("a client option the client refuses comes back saying where the stack sets it (fansly:baseUrl), still naming the client's option", async () => {
    const provider = {} as pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>;
    const config: Record<string, string> = { "fansly:apiKey": "k-123456", "fansly:baseUrl": "ftp://127.0.0.1:21", "fansly:accountId": "fansly_demo" };
    await attachTrackingLinkMethods(provider, { config: { get: (key) => config[key] } });
    const failed = await provider.check?.(INPUTS, INPUTS).then(() => undefined, (error: unknown) => error as Error);
    expect(failed?.name).toBe("FanslyConfigError");
    expect(failed?.message).toContain("baseUrl must start with https://");
    expect(failed?.message).toContain("run `pulumi config set fansly:baseUrl https://v1.apifansly.com`, or set the FANSLY_API_BASE_URL environment variable");
  });
});
