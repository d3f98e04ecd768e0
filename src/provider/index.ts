/**
 * The dynamic provider's room: `import { trackingLinkProvider } from "pulumi-fansly/provider"`. Only re-exports.
 */
export { trackingLinkImplementation, attachTrackingLinkMethods } from "./processProvider";
export { trackingLinkProvider } from "./serializedForm";
export { TrackingLinkImplementation, outputsOf, type ClientFactory } from "./implementation";
export { resolveProviderSettings, CONFIG_KEYS, type ConfigSource, type ProviderSettings } from "./config";
export {
  TrackingLinkInputsSchema,
  MAX_LABEL_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  type TrackingLinkInputs,
  type TrackingLinkOutputs,
} from "./schemas";
