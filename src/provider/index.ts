/**
 * The dynamic provider's room: `import { trackingLinkProvider } from "pulumi-fansly/provider"`.
 */
import { TrackingLinkImplementation } from "./implementation";

/** The one implementation in this process; the serialized shim reaches it by package name. */
export const trackingLinkImplementation = new TrackingLinkImplementation();

export { trackingLinkProvider } from "./shim";
export { TrackingLinkImplementation, outputsOf, type ClientFactory } from "./implementation";
export { resolveProviderSettings, CONFIG_KEYS, type ConfigSource, type ProviderSettings } from "./config";
export {
  TrackingLinkInputsSchema,
  MAX_LABEL_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  type TrackingLinkInputs,
  type TrackingLinkOutputs,
} from "./schemas";
