/**
 * `pulumi-fansly/plugin`: the program-side classes of the plugin face, in the manner of a generated Pulumi SDK. They
 * only register resources; the `pulumi-resource-fansly` plugin (dist/plugin, started by the engine) serves them.
 * Only re-exports.
 */
export { TrackingLink, type TrackingLinkArgs } from "./trackingLink";
export { Provider, type ProviderArgs } from "./provider";
export { getTrackingLinkStats, type GetTrackingLinkStatsArgs, type TrackingLinkStats } from "./stats";
export { PLUGIN_TRACKING_LINK_TYPE, DYNAMIC_TRACKING_LINK_TYPE, STATS_FUNCTION } from "./tokens";
