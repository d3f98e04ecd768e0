/** The dynamic face's provider object: what the engine is handed when a lifecycle call fails. */
import type * as pulumi from "@pulumi/pulumi";
import { attachTrackingLinkMethods, trackingLinkImplementation } from "../../src/provider/processProvider";
import type { CheckedInputs, TrackingLinkOutputs } from "../../src/provider/schemas";

afterAll(async () => {
  await trackingLinkImplementation.close();
});

const INPUTS: CheckedInputs = { label: "A", description: "", accountId: "fansly_demo" };
const BASE_URL_FIX = "run `pulumi config set fansly:baseUrl https://v1.apifansly.com`, or set the FANSLY_API_BASE_URL environment variable";

describe("the dynamic face's provider", () => {
  const provider = {} as pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>;
  beforeAll(async () => {
    const config: Record<string, string> = { "fansly:apiKey": "k-123456", "fansly:baseUrl": "ftp://127.0.0.1:21", "fansly:accountId": "fansly_demo" };
    await attachTrackingLinkMethods(provider, { config: { get: (key) => config[key] } });
  });

  test("a client option the client refuses fails the check, saying where the stack sets it (fansly:baseUrl), still naming the client's option", async () => {
    const checked = await provider.check?.(INPUTS, INPUTS);
    expect(checked?.failures).toEqual([{ property: "", reason: expect.stringContaining(`baseUrl must start with https://: use an https:// URL`) as unknown }]);
    expect(checked?.failures?.[0]?.reason).toContain(BASE_URL_FIX);
  });

  // The dynamic-provider host prints `${error}: ${error.stack}`, then the engine shows the message: no frames in it,
  // and not the message a second time.
  test("a failed operation gives the engine the fix, and the host's own line only the class name, no stack frames", async () => {
    const failed = await provider.create(INPUTS).then(() => undefined, (error: unknown) => error as Error);
    expect(failed?.message).toContain(BASE_URL_FIX);
    expect(`${String(failed)}: ${failed?.stack ?? ""}`).toBe("FanslyConfigError: reported as the resource's error");
  });
});
