import * as pulumi from "@pulumi/pulumi";
import { declareLink, importedLinkId } from "../declaredLinks";
import { COMPUTED_OUTPUTS_AS_INPUTS, registerCheaply } from "../registration";
import type { TrackingLinkArgs } from "../resource";
import { DYNAMIC_TRACKING_LINK_TYPE, PLUGIN_TRACKING_LINK_TYPE } from "./tokens";

export type { TrackingLinkArgs };

/**
 * A Fansly tracking link served by the `pulumi-resource-fansly` plugin (the plugin face): the same provider logic
 * as `pulumi-fansly`'s TrackingLink, without the provider's code in state, with `pulumi import`, and with explicit
 * `Provider` instances for several keys in one stack. The program's `Pulumi.yaml` must point the CLI at the plugin
 * (README, "The plugin face").
 *
 * ## Example
 *
 * ```ts
 * import { Provider, TrackingLink } from "pulumi-fansly/plugin";
 *
 * new TrackingLink("twitter-bio", { label: "Twitter bio", description: "pinned profile link" });
 * const agency = new Provider("agency", { apiKey: config.requireSecret("agencyKey"), accountId: "fansly_agency" });
 * new TrackingLink("agency-bio", { label: "Twitter bio" }, { provider: agency });
 * ```
 *
 * ## Adopting an existing link
 *
 * `pulumi import fansly:index:TrackingLink <name> <linkId>` (the provider's default account) or
 * `<accountId>/<linkId>`; or pass `trackingLinkId` as with the dynamic face. One resource of a stack per link: a
 * second is refused at preview, naming both (README, "One link, one owner").
 *
 * ## Traffic counters
 *
 * Unlike the dynamic face's, this TrackingLink keeps no counters (clicks, …) in state: read them live with
 * `getTrackingLinkStats({ trackingLinkId: link.trackingLinkId })`.
 *
 * ## Moving from the dynamic face
 *
 * Each TrackingLink aliases the dynamic face's type, so changing `from "pulumi-fansly"` to
 * `from "pulumi-fansly/plugin"` keeps every link: the next `pulumi up` sends no request that changes one. A program
 * that read `link.clicks` (or another counter) reads `getTrackingLinkStats` instead.
 */
export class TrackingLink extends pulumi.CustomResource {
  /** @internal */
  static readonly __pulumiType = PLUGIN_TRACKING_LINK_TYPE;

  /** Looks up an existing TrackingLink's state by its link id (no API call: from the stack's state). */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): TrackingLink {
    return new TrackingLink(name, undefined, { ...opts, id });
  }

  /** Whether `obj` is a TrackingLink of this face (works across copies of the package). */
  static override isInstance(obj: unknown): obj is TrackingLink {
    return pulumi.CustomResource.isInstance(obj) && Reflect.get(obj, "__pulumiType") === PLUGIN_TRACKING_LINK_TYPE;
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

  /** `args` is undefined only for `get` (the state is looked up by `opts.id`). */
  constructor(name: string, args: TrackingLinkArgs | undefined, opts: pulumi.CustomResourceOptions = {}) {
    // Outputs the provider computes are declared as undefined inputs, so Pulumi registers them as outputs.
    // One link, one owner: a second resource adopting the same link (by trackingLinkId or by the import option)
    // fails here, before registering (declaredLinks.ts). `get` only reads state: no claim.
    const declarer = { type: PLUGIN_TRACKING_LINK_TYPE, name, label: "TrackingLink (pulumi-fansly/plugin)", parent: opts.parent };
    const trackingLinkId = args === undefined ? undefined : declareLink(args.trackingLinkId ?? importedLinkId(opts.import), declarer);
    const inputs =
      opts.id === undefined
        ? { ...COMPUTED_OUTPUTS_AS_INPUTS, ...args, trackingLinkId: args?.trackingLinkId === undefined ? undefined : trackingLinkId }
        : { ...COMPUTED_OUTPUTS_AS_INPUTS, label: undefined };
    const withAlias = pulumi.mergeOptions(opts, { aliases: [{ type: DYNAMIC_TRACKING_LINK_TYPE }] });
    const restore = registerCheaply();
    try {
      super(PLUGIN_TRACKING_LINK_TYPE, name, inputs, withAlias);
    } finally {
      restore();
    }
  }
}
