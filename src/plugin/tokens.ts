/**
 * The type tokens of our resources and the plugin face's names, shared by the plugin (schema, server), the
 * program-side classes and the CLI commands that read a stack's state (`recover`, `import`). Each token has one name
 * saying which face it is: two constants once both called `TRACKING_LINK_TYPE` let `recover` skip every
 * plugin-face link.
 */

/** The Pulumi package the plugin serves: `fansly:*` config, `pulumi-resource-fansly`, `pulumi:providers:fansly`. */
export const PACKAGE_NAME = "fansly";
/** The type the plugin face's TrackingLink has in state (`pulumi-fansly/plugin`, Pulumi YAML, Go). */
export const PLUGIN_TRACKING_LINK_TYPE = "fansly:index:TrackingLink";
/** The plugin face's one function: a link's traffic counters, read live (they are not kept in its state). */
export const STATS_FUNCTION = "fansly:index:getTrackingLinkStats";
/**
 * The type the dynamic face's TrackingLink has in state (`pulumi.dynamic.Resource` with module "fansly" and type
 * "TrackingLink"). The plugin face aliases from it, so a stack that switches faces keeps its links (README, "Moving
 * a stack to the plugin face").
 */
export const DYNAMIC_TRACKING_LINK_TYPE = "pulumi-nodejs:dynamic/fansly:TrackingLink";

/** Every type a resource managing one Fansly link has in state, whichever face made it. */
const TRACKING_LINK_TYPES: readonly string[] = [DYNAMIC_TRACKING_LINK_TYPE, PLUGIN_TRACKING_LINK_TYPE];

/** Whether a resource of this type manages a Fansly link: the one rule for "is this one of our links?". */
export function isTrackingLinkType(type: string): boolean {
  return TRACKING_LINK_TYPES.includes(type);
}
