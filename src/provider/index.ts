/**
 * The dynamic provider's room, as the provider process loads it: the serialized shim (shim.ts) calls
 * `require("pulumi-fansly/provider")` when it runs. Only re-exports. The serialized provider object itself,
 * `trackingLinkProvider`, is exported from the package root (`pulumi-fansly`), not from here: this face is what the
 * shim loads, and a face that handed out the shim would make the shim load itself (an import circle).
 */
export { trackingLinkImplementation, attachTrackingLinkMethods } from "./processProvider";
export { TrackingLinkImplementation, outputsOf, type ClientFactory } from "./implementation";
export { resolveProviderSettings, CONFIG_KEYS, type ConfigSource, type ProviderSettings } from "./config";
export {
  TrackingLinkInputsSchema,
  MAX_LABEL_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  type CheckedInputs,
  type TrackingLinkOutputs,
} from "./schemas";
