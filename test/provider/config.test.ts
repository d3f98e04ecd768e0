import { FanslyClient, FanslyConfigError } from "../../src/client";
import { resolveProviderSettings, type ConfigSource } from "../../src/provider";

function stackConfig(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

describe("resolveProviderSettings", () => {
  test("a missing key fails with a message that shows both ways to set it", () => {
    const attempt = () => resolveProviderSettings(stackConfig({}), {});
    expect(attempt).toThrow(FanslyConfigError);
    expect(attempt).toThrow("pulumi config set --secret fansly:apiKey");
    expect(attempt).toThrow("FANSLY_API_KEY environment variable");
  });

  test("stack config wins over the environment, and the environment fills what config leaves out", () => {
    const settings = resolveProviderSettings(stackConfig({ "fansly:apiKey": "from-config", "fansly:timeoutMs": "5000" }), {
      FANSLY_API_KEY: "from-env",
      FANSLY_ACCOUNT_ID: "fansly_env",
      FANSLY_API_BASE_URL: "http://127.0.0.1:8787",
    });
    expect(settings).toEqual({
      client: { apiKey: "from-config", baseUrl: "http://127.0.0.1:8787", timeoutMs: 5000 },
      defaultAccountId: "fansly_env",
    });
  });

  test("every bad number is named with its key and an example, in one error", () => {
    const attempt = () =>
      resolveProviderSettings(stackConfig({ "fansly:apiKey": "k-123456", "fansly:timeoutMs": "30s", "fansly:maxRetries": "-1" }), {});
    expect(attempt).toThrow(/fansly:timeoutMs must be a whole number: run `pulumi config set fansly:timeoutMs 30000`.*fansly:maxRetries must be a whole number/);
  });

  test("fansly:listingReuseMs takes 0 (share only a listing in flight) and refuses what is not a whole number", () => {
    const settings = resolveProviderSettings(stackConfig({ "fansly:apiKey": "k-123456", "fansly:listingReuseMs": "0" }), {});
    expect(settings.client.listingReuseMs).toBe(0);
    const attempt = () => resolveProviderSettings(stackConfig({ "fansly:apiKey": "k-123456", "fansly:listingReuseMs": "10s" }), {});
    expect(attempt).toThrow(/fansly:listingReuseMs must be a whole number: run `pulumi config set fansly:listingReuseMs 10000`/);
  });

  test("a key holding a line break or a NUL is refused where it is read, naming the setting, never the key", () => {
    for (const key of ["k-123456\nX-Injected: 1", "k-12\r\n3456", "k-123456\u0000"]) {
      const attempt = () => resolveProviderSettings(stackConfig({}), { FANSLY_API_KEY: key });
      expect(attempt).toThrow(/fansly:apiKey holds a control character/);
      expect(attempt).toThrow(/FANSLY_API_KEY environment variable/);
      expect(attempt).not.toThrow(/k-12/);
    }
  });

  test("the settings build a working client", async () => {
    const settings = resolveProviderSettings(stackConfig({ "fansly:apiKey": "k-123456" }), {});
    const client = new FanslyClient(settings.client);
    await client.close();
    expect(settings.defaultAccountId).toBeUndefined();
  });
});
