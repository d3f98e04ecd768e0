/**
 * The naive baseline of issue 12: what a first dynamic provider for this API tends to look like, for the benchmark
 * to compare against. Its provider object captures the client in its closure, so Pulumi copies the client's class
 * and settings — the API key included — into every resource's state; the client calls global `fetch` with
 * `Connection: close` (no keep-alive), and has no retries and no rate limit. Never write a provider like this.
 */
import * as pulumi from "@pulumi/pulumi";

export interface NaiveSettings {
  baseUrl: string;
  apiKey: string;
  accountId: string;
}

export interface NaiveArgs {
  label: string;
  description?: string;
}

interface NaiveLinkJson {
  id: string | number;
  [field: string]: unknown;
}

class NaiveClient {
  constructor(readonly settings: NaiveSettings) {}

  async send(method: string, body: unknown): Promise<{ data?: { data?: { response?: NaiveLinkJson } } }> {
    const reply = await fetch(`${this.settings.baseUrl}/api/fansly/${this.settings.accountId}/tracking-links`, {
      method,
      headers: { "x-api-key": this.settings.apiKey, "content-type": "application/json", connection: "close" },
      body: JSON.stringify(body),
    });
    const envelope = (await reply.json()) as { message?: string; data?: { data?: { response?: NaiveLinkJson } } };
    if (!reply.ok) throw new Error(`${method} tracking-links failed: ${reply.status} ${envelope.message ?? ""}`);
    return envelope;
  }
}

/** The provider, holding its client (and so the key) in the closure Pulumi serializes. */
export function naiveProvider(settings: NaiveSettings): pulumi.dynamic.ResourceProvider {
  const client = new NaiveClient(settings);
  return {
    async create(inputs: NaiveArgs) {
      const envelope = await client.send("POST", { label: inputs.label, description: inputs.description ?? "" });
      const link = envelope.data?.data?.response;
      if (link === undefined) throw new Error("the create reply has no link");
      return { id: String(link.id), outs: { ...link, trackingLinkId: String(link.id) } };
    },
    async delete(id: string) {
      await client.send("DELETE", { trackingLinkId: id });
    },
  };
}

export class NaiveLink extends pulumi.dynamic.Resource {
  declare readonly trackingLinkId: pulumi.Output<string>;

  constructor(name: string, args: NaiveArgs, provider: pulumi.dynamic.ResourceProvider) {
    super(provider, name, { trackingLinkId: undefined, ...args }, undefined, "fansly", "NaiveLink");
  }
}
