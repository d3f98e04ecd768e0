import * as pulumi from "@pulumi/pulumi";
import { PACKAGE_NAME } from "./tokens";

/** The settings of one `fansly` provider instance: the `fansly:*` stack config keys, by the same names. */
export interface ProviderArgs {
  /** The apifansly key, stored only as a secret. Falls back to FANSLY_API_KEY in the plugin's environment. */
  apiKey?: pulumi.Input<string>;
  /** Default account for links that do not name one. Falls back to FANSLY_ACCOUNT_ID. */
  accountId?: pulumi.Input<string>;
  /** API origin (default `https://v1.apifansly.com`; the emulator: `http://127.0.0.1:8787`). Falls back to FANSLY_API_BASE_URL. */
  baseUrl?: pulumi.Input<string>;
  /** Per-attempt timeout, ms (default 30000). */
  timeoutMs?: pulumi.Input<number>;
  /** Retries after the first attempt, 0–10 (default 4). */
  maxRetries?: pulumi.Input<number>;
  /** Total time one call may spend, retries included, ms (default 120000). */
  maxRetryTimeMs?: pulumi.Input<number>;
  /** Requests a minute this provider sends at most (default 600, or the API's `X-RateLimit-Limit`). */
  maxRequestsPerMinute?: pulumi.Input<number>;
  /** How long one listing of an account answers a refresh's reads, ms (default 10000). */
  listingReuseMs?: pulumi.Input<number>;
  /** Credits (requests) one update of this provider may spend at most (default: no limit); see README "What each command costs". */
  maxCreditsPerUpdate?: pulumi.Input<number>;
}

/**
 * An explicit instance of the `fansly` provider (the plugin face): its own key and default account, so one stack can
 * manage links of several apifansly keys. Resources choose it with `{ provider }`; those that do not use the
 * default provider, configured by the stack's `fansly:*` config.
 *
 * ```ts
 * const agency = new Provider("agency", { apiKey: config.requireSecret("agencyKey"), accountId: "fansly_agency" });
 * new TrackingLink("bio", { label: "Twitter bio" }, { provider: agency });
 * ```
 */
export class Provider extends pulumi.ProviderResource {
  /** @internal */
  static readonly __pulumiType = PACKAGE_NAME;

  constructor(name: string, args: ProviderArgs = {}, opts: pulumi.ResourceOptions = {}) {
    // The key is made a secret here too (the plugin's CheckConfig does it as well), so no face stores it in clear.
    const inputs = { ...args, apiKey: args.apiKey === undefined ? undefined : pulumi.secret(args.apiKey) };
    super(PACKAGE_NAME, name, inputs, opts);
  }
}
