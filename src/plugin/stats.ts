import * as pulumi from "@pulumi/pulumi";
import type { TrackingLinkStats, TrackingLinkStatsArgs } from "../provider/schemas";
import { STATS_FUNCTION } from "./tokens";

export type { TrackingLinkStats };

/** `getTrackingLinkStats`'s arguments, each may be an Output (a TrackingLink's `trackingLinkId`). */
export type GetTrackingLinkStatsArgs = { [K in keyof TrackingLinkStatsArgs]: pulumi.Input<NonNullable<TrackingLinkStatsArgs[K]>> };

/**
 * A tracking link's traffic counters as Fansly reports them now, served by the `pulumi-resource-fansly` plugin: the
 * plugin face keeps no counters in state. It costs one listing of the account per command (shared with the
 * command's other reads), in `pulumi preview` too; while the link is still to be created, the answer is unknown.
 *
 * ```ts
 * const bio = new TrackingLink("twitter-bio", { label: "Twitter bio" });
 * export const bioClicks = getTrackingLinkStats({ trackingLinkId: bio.trackingLinkId }).apply((stats) => stats.clicks);
 * ```
 *
 * `opts.provider` picks an explicit Provider (another key); `accountId` defaults to that provider's.
 */
export function getTrackingLinkStats(args: GetTrackingLinkStatsArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<TrackingLinkStats> {
  return pulumi.runtime.invokeOutput<TrackingLinkStats>(STATS_FUNCTION, { ...args }, opts);
}
