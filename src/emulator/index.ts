export { startEmulator, DEFAULT_API_KEYS } from "./server";
export type { StartOptions } from "./server";
export {
  createStore,
  BUILT_IN_LINK_LABELS,
  DEFAULT_ACCOUNTS,
  EmulatorTrackingLinkSchema,
  StoreSnapshotSchema,
} from "./store";
export { BUILT_IN_LINK_TYPE, CUSTOM_LINK_TYPE, TRAFFIC_COUNTERS } from "../fields";
export type { CounterUpdate, EmulatorStore, EmulatorTrackingLink, LinkCounters, LinkInput, StoreSeed, StoreSnapshot } from "./store";
export { TrafficSimulator, simulateTraffic, DEFAULT_TRAFFIC_INTERVAL_MS, type TrafficSpec } from "./traffic";
export type { EmulatorOptions, RecordedRequest, RunningEmulator } from "./types";
export type { ChaosSpec, FaultKind, FaultSpec } from "./faults";
export { EmulatorHttpError } from "./errors";
export { checkFault, FAULT_KINDS } from "./faults";
export { ADMIN_PREFIX } from "./admin";
export { MAX_BODY_BYTES } from "./api";
export { MAX_DESCRIPTION_LENGTH, MAX_LABEL_LENGTH } from "./schemas";
export { RATE_LIMIT_PER_MINUTE } from "./ratelimit";
