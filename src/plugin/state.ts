/**
 * What the plugin face keeps in state of a link's outputs: one rule, read by the plugin's server (Create, Read,
 * Update) and by `pulumi-fansly recover`, which writes an interrupted create's link into state as Create would have.
 *
 * Not the traffic counters: the engine serializes every property of every resource at each of its checkpoints (two
 * per step), and the six counters were 6 of a link's 17 stored properties — measured at 1,000 links, `up` 31.4 s
 * with them, 26.9 s without (README, "The plugin face beside the dynamic face"). In state they were only as fresh as
 * the last create, update or refresh; `getTrackingLinkStats` answers them live. Counters in a state written by the
 * dynamic face (a moved stack) go at the link's next refresh or update.
 */
import { TRAFFIC_COUNTERS, type TrafficCounter } from "../fields";
import { TrackingLinkOutputsSchema, type TrackingLinkOutputs } from "../provider/schemas";

const TRAFFIC_COUNTER_SET: ReadonlySet<string> = new Set(TRAFFIC_COUNTERS);

export function withoutCounters<T extends object>(values: T): Omit<T, TrafficCounter> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !TRAFFIC_COUNTER_SET.has(name))) as Omit<T, TrafficCounter>;
}

/** The implementation's outputs as the plugin face stores them (checked against the state's shape). */
export function pluginStoredOutputs(outputs: unknown): Omit<TrackingLinkOutputs, TrafficCounter> {
  return withoutCounters(TrackingLinkOutputsSchema.parse(outputs));
}
