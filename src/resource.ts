import * as pulumi from "@pulumi/pulumi";
import { trackingLinkProvider } from "./provider/serializedForm";
import { declareLink } from "./declaredLinks";
import { DYNAMIC_TRACKING_LINK_TYPE } from "./plugin/tokens";
import { COMPUTED_OUTPUTS_AS_INPUTS, TRAFFIC_COUNTER_OUTPUTS_AS_INPUTS, registerCheaply } from "./registration";

const API_KEY_CONFIG = "fansly:apiKey";
let warnedAboutPlainKey = false;

/**
 * The engine keeps the whole stack config in state as the default provider's inputs: a key set with `--secret` is
 * ciphertext there, a plain one is plain text in state and in `Pulumi.<stack>.yaml`. Returns the warning to give
 * when the key is in config but not secret (never the key itself).
 */
export function plainApiKeyWarning(): string | undefined {
  if (pulumi.runtime.getConfig(API_KEY_CONFIG) === undefined) return undefined;
  // `isConfigSecret` is the SDK's own test (present since 3.x, marked internal); without it we cannot tell, so stay quiet.
  const isConfigSecret: unknown = Reflect.get(pulumi.runtime, "isConfigSecret");
  if (typeof isConfigSecret !== "function") return undefined;
  if ((isConfigSecret as (key: string) => unknown)(API_KEY_CONFIG) === true) return undefined;
  const stack = pulumi.getStack();
  const stackFlag = stack === "" ? "" : ` --stack ${stack}`;
  return (
    `${API_KEY_CONFIG} is set in plain text, so it is stored unencrypted in Pulumi.${stack || "<stack>"}.yaml and in the stack's state. ` +
    `Make it a secret: pulumi config set --secret ${API_KEY_CONFIG} <your-api-key>${stackFlag}`
  );
}

function warnOnceAboutPlainKey(): void {
  if (warnedAboutPlainKey) return;
  const warning = plainApiKeyWarning();
  if (warning === undefined) return;
  warnedAboutPlainKey = true;
  void pulumi.log.warn(warning);
}

/** The arguments of a `TrackingLink`. */
export interface TrackingLinkArgs {
  /** The link's name in Fansly, e.g. "Twitter bio" (1–100 characters). Changing it updates the link in place. */
  label: pulumi.Input<string>;
  /** Free text shown with the link (up to 500 characters). Default "". Changing it updates in place. */
  description?: pulumi.Input<string>;
  /** apifansly's account id (`fansly_…`). Default: `fansly:accountId`. Changing it replaces the link. */
  accountId?: pulumi.Input<string>;
  /**
   * The id of an existing link to adopt instead of creating one. `pulumi up` then makes no POST: it finds the
   * link and sets its label and description if they differ.
   */
  trackingLinkId?: pulumi.Input<string>;
}

/**
 * A Fansly tracking link: a per-source attribution link whose clicks, follows and subscriptions Fansly counts.
 *
 * ## Example
 *
 * ```ts
 * import { TrackingLink } from "pulumi-fansly";
 *
 * const bio = new TrackingLink("twitter-bio", { label: "Twitter bio", description: "pinned profile link" });
 * export const bioClicks = bio.clicks;
 * ```
 *
 * ## Adopting an existing link
 *
 * Pass its id as `trackingLinkId`; the first `pulumi up` takes it over without creating anything, and from then on
 * it is managed like any other (`pulumi destroy` deletes it). `pulumi import` cannot do this: Pulumi's import reads
 * through the dynamic provider without its serialized code, and fails.
 *
 * ```ts
 * new TrackingLink("reddit", { label: "Reddit", trackingLinkId: "845759434939445248" });
 * ```
 *
 * One resource of a stack per link: a second resource adopting the same id is refused before it registers (README,
 * "One link, one owner").
 */
export class TrackingLink extends pulumi.dynamic.Resource {
  /** Looks up an existing TrackingLink's state by its link id (no API call: from the stack's state). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): TrackingLink {
    return new TrackingLink(name, undefined, { ...opts, id });
  }

  /** Whether `obj` is a TrackingLink of this face (works across copies of the package). */
  static override isInstance(obj: unknown): obj is TrackingLink {
    return pulumi.CustomResource.isInstance(obj) && Reflect.get(obj, "__pulumiType") === DYNAMIC_TRACKING_LINK_TYPE;
  }

  /** The link's id in Fansly (an 18-digit snowflake, as a string). */
  declare readonly trackingLinkId: pulumi.Output<string>;
  /** The account the link belongs to. */
  declare readonly accountId: pulumi.Output<string>;
  /** The link's name. */
  declare readonly label: pulumi.Output<string>;
  /** The link's description ("" when none). */
  declare readonly description: pulumi.Output<string>;
  /** True when this resource adopted an existing link rather than creating it. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Fansly's link type (1000 for a custom link). */
  declare readonly type: pulumi.Output<number | undefined>;
  /** When Fansly created the link (ISO-8601). */
  declare readonly createdAt: pulumi.Output<string | undefined>;
  /** Lifetime clicks, as of the last create, update or refresh. */
  declare readonly clicks: pulumi.Output<number | undefined>;
  /** Lifetime claims. */
  declare readonly claims: pulumi.Output<number | undefined>;
  /** Lifetime follows. */
  declare readonly follows: pulumi.Output<number | undefined>;
  /** Lifetime subscriptions. */
  declare readonly subscriptions: pulumi.Output<number | undefined>;
  /** Lifetime gross revenue, in Fansly's own integer units (kept raw). */
  declare readonly totalGross: pulumi.Output<number | undefined>;
  /** Lifetime net revenue, in Fansly's own integer units (kept raw). */
  declare readonly totalNet: pulumi.Output<number | undefined>;

  /** `args` is undefined only for `get` (the state is looked up by `opts.id`). */
  constructor(name: string, args: TrackingLinkArgs | undefined, opts: pulumi.CustomResourceOptions = {}) {
    warnOnceAboutPlainKey();
    // One link, one owner: a second resource adopting the same link fails here, before registering (declaredLinks.ts).
    // `get` only reads state: no claim.
    const trackingLinkId = declareLink(args?.trackingLinkId, { type: DYNAMIC_TRACKING_LINK_TYPE, name, label: "TrackingLink", parent: opts.parent });
    // Outputs the provider computes are declared as undefined inputs, so Pulumi registers them as outputs.
    const outputs = { ...COMPUTED_OUTPUTS_AS_INPUTS, ...TRAFFIC_COUNTER_OUTPUTS_AS_INPUTS };
    const inputs = opts.id === undefined ? { ...outputs, ...args, trackingLinkId } : { ...outputs, label: undefined };
    const restore = registerCheaply();
    try {
      super(trackingLinkProvider, name, inputs, opts, "fansly", "TrackingLink");
    } finally {
      restore();
    }
  }
}
