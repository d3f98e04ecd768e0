/** The plugin face's names, shared by the plugin (schema, server) and the program-side classes. */

/** The Pulumi package the plugin serves: `fansly:*` config, `pulumi-resource-fansly`, `pulumi:providers:fansly`. */
export const PACKAGE_NAME = "fansly";
export const TRACKING_LINK_TYPE = "fansly:index:TrackingLink";
/** The plugin face's one function: a link's traffic counters, read live (they are not kept in its state). */
export const STATS_FUNCTION = "fansly:index:getTrackingLinkStats";
/**
 * The type the dynamic face's TrackingLink has in state (`pulumi.dynamic.Resource` with module "fansly" and type
 * "TrackingLink"). The plugin face aliases from it, so a stack that switches faces keeps its links (README, "Moving
 * a stack to the plugin face").
 */
export const DYNAMIC_TRACKING_LINK_TYPE = "pulumi-nodejs:dynamic/fansly:TrackingLink";
