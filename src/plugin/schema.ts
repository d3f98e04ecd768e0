/**
 * The plugin's Pulumi package schema: what `pulumi package get-schema`, Pulumi YAML and SDK generators read. The
 * resource's inputs are the dynamic face's (src/fields.ts lists them; the rules themselves are checked by the
 * shared zod schemas at `Check`), the provider's config keys are the `fansly:*` stack config keys
 * (src/provider/config.ts), and the version is the package's own.
 */
import { LINK_PROPERTIES, MAX_DESCRIPTION_LENGTH, MAX_LABEL_LENGTH, type LinkProperty, type TrafficCounter } from "../fields";
import { CONFIG_KEYS } from "../provider/config";
import type { STATS_ARGUMENTS } from "../provider/schemas";
import { packageVersion } from "../packageVersion";
import { DYNAMIC_TRACKING_LINK_TYPE, PACKAGE_NAME, PLUGIN_TRACKING_LINK_TYPE, STATS_FUNCTION } from "./tokens";


interface PropertySpec {
  type: "string" | "integer" | "number" | "boolean";
  description: string;
  secret?: boolean;
}

const INPUTS: Record<LinkProperty, PropertySpec> = {
  label: {
    type: "string",
    description: `The link's name in Fansly, e.g. "Twitter bio" (1–${MAX_LABEL_LENGTH} characters). Changing it updates the link in place.`,
  },
  description: {
    type: "string",
    description: `Free text shown with the link (up to ${MAX_DESCRIPTION_LENGTH} characters). Default "". Changing it updates in place.`,
  },
  accountId: { type: "string", description: "apifansly's account id (`fansly_…`). Default: the provider's `accountId`. Changing it replaces the link." },
  trackingLinkId: {
    type: "string",
    description: "The id of an existing link to adopt instead of creating one: no POST, a PUT only if label or description differ.",
  },
};

const OUTPUTS: Record<string, PropertySpec> = {
  trackingLinkId: { type: "string", description: "The link's id in Fansly (an 18-digit snowflake, as a string)." },
  accountId: { type: "string", description: "The account the link belongs to." },
  label: { type: "string", description: "The link's name." },
  description: { type: "string", description: 'The link\'s description ("" when none).' },
  adopted: { type: "boolean", description: "True when this resource adopted an existing link rather than creating it." },
  type: { type: "integer", description: "Fansly's link type (1000 for a custom link)." },
  createdAt: { type: "string", description: "When Fansly created the link (ISO-8601)." },
};

/** `getTrackingLinkStats`'s answer: the counters live (not kept in the plugin face's state; see src/plugin/server.ts). */
const TRAFFIC_COUNTER_SPECS: Record<TrafficCounter, PropertySpec> = {
  clicks: { type: "number", description: "Lifetime clicks." },
  claims: { type: "number", description: "Lifetime claims." },
  follows: { type: "number", description: "Lifetime follows." },
  subscriptions: { type: "number", description: "Lifetime subscriptions." },
  totalGross: { type: "number", description: "Lifetime gross revenue, in Fansly's own integer units (kept raw)." },
  totalNet: { type: "number", description: "Lifetime net revenue, in Fansly's own integer units (kept raw)." },
};

const STATS_INPUTS: Record<(typeof STATS_ARGUMENTS)[number], PropertySpec> = {
  trackingLinkId: { type: "string", description: "The link's id (a TrackingLink's `trackingLinkId`, or any link of the account)." },
  accountId: { type: "string", description: "The link's account. Default: the provider's `accountId`." },
};

/** Each provider setting, in the stack config key's words (`fansly:<name>`), with its environment fallback. */
const CONFIG_DESCRIPTIONS: Record<keyof typeof CONFIG_KEYS, { type: PropertySpec["type"]; description: string }> = {
  apiKey: { type: "string", description: "The apifansly key, sent as `x-api-key`." },
  accountId: { type: "string", description: "Default account for links that do not name one." },
  baseUrl: { type: "string", description: "API origin, e.g. `http://127.0.0.1:8787` for the emulator. Default `https://v1.apifansly.com`." },
  timeoutMs: { type: "integer", description: "Per-attempt timeout in ms. Default 30000." },
  maxRetries: { type: "integer", description: "Retries after the first attempt (0–10). Default 4." },
  maxRetryTimeMs: { type: "integer", description: "Total time one call may spend, retries included, in ms. Default 120000." },
  maxRequestsPerMinute: { type: "integer", description: "Requests a minute this provider sends at most. Default 600, or the API's `X-RateLimit-Limit`." },
  maxCreditsPerUpdate: { type: "integer", description: "Credits (requests) one update of this provider may spend at most; a preview or update that would spend more fails before sending. Default: no limit." },
  listingReuseMs: { type: "integer", description: "How long one listing of an account answers a refresh's reads, in ms. Default 10000." },
};

function configProperties(): Record<string, PropertySpec> {
  return Object.fromEntries(
    Object.entries(CONFIG_DESCRIPTIONS).map(([name, { type, description }]) => {
      const { env, secret } = CONFIG_KEYS[name as keyof typeof CONFIG_KEYS];
      const fallback = env === undefined ? "" : ` Falls back to the ${env} environment variable.`;
      return [name, { type, description: `${description}${fallback}`, ...(secret ? { secret: true } : {}) }];
    }),
  );
}

/** The schema, as the JSON text `GetSchema` answers with. */
export function packageSchema(version: string = packageVersion()): string {
  const config = configProperties();
  const schema = {
    name: PACKAGE_NAME,
    displayName: "Fansly",
    version,
    description: "Fansly tracking links as code, through apifansly.com's REST API.",
    keywords: ["pulumi", "fansly", "tracking-links"],
    license: "Apache-2.0",
    config: { variables: config },
    provider: {
      description: "The Fansly provider: one API key (and default account) per instance, so one stack can hold several keys.",
      inputProperties: config,
    },
    resources: {
      [PLUGIN_TRACKING_LINK_TYPE]: {
        description:
          "A Fansly tracking link: a per-source attribution link whose clicks, follows and subscriptions Fansly counts.\n\n" +
          "Adopt an existing link with `trackingLinkId`, or `pulumi import fansly:index:TrackingLink <name> <linkId>` " +
          "(or `<accountId>/<linkId>`).",
        inputProperties: Object.fromEntries(LINK_PROPERTIES.map((name) => [name, INPUTS[name]])),
        requiredInputs: ["label"],
        properties: OUTPUTS,
        required: ["trackingLinkId", "accountId", "label", "description", "adopted"],
        aliases: [{ type: DYNAMIC_TRACKING_LINK_TYPE }],
      },
    },
    functions: {
      [STATS_FUNCTION]: {
        description:
          "A tracking link's traffic counters as Fansly reports them now: one listing of the account per command " +
          "(shared with the command's other reads), in `pulumi preview` too.",
        inputs: { properties: STATS_INPUTS, required: ["trackingLinkId"] },
        outputs: {
          properties: { trackingLinkId: OUTPUTS.trackingLinkId, accountId: OUTPUTS.accountId, label: OUTPUTS.label, ...TRAFFIC_COUNTER_SPECS },
          required: ["trackingLinkId", "accountId", "label"],
        },
      },
    },
  };
  return JSON.stringify(schema);
}
