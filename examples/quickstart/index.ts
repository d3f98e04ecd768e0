/**
 * Quickstart (read-only for now): lists the account's tracking links through the client, against the local
 * emulator by default. When the TrackingLink resource lands, this becomes three managed links.
 *
 *   npm run build && npm run emulator &        # the API stand-in on 127.0.0.1:8787, key dev-key
 *   pulumi config set --secret fansly:apiKey dev-key
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { FanslyClient } from "pulumi-fansly/client";

const config = new pulumi.Config("fansly");
const accountId = config.get("accountId") ?? "fansly_demo";

/** Labels of the account's links. The key is used here only, never exported, so it stays out of state. */
export const labels = config.requireSecret("apiKey").apply(async (apiKey) => {
  const fansly = new FanslyClient({ apiKey, baseUrl: config.get("baseUrl") ?? "http://127.0.0.1:8787" });
  try {
    return (await fansly.trackingLinks.list(accountId)).map((link) => link.label);
  } finally {
    await fansly.close();
  }
});
