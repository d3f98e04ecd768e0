/**
 * The dynamic provider's room: `import { trackingLinkProvider } from "pulumi-fansly/provider"`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigSource } from "./config";
import { TrackingLinkImplementation } from "./implementation";
import type { TrackingLinkInputs } from "./schemas";

/** The one implementation in this process; the serialized shim reaches it by package name. */
export const trackingLinkImplementation = new TrackingLinkImplementation();

/** Gives a freshly deserialized provider object every lifecycle method, then configures the implementation. */
export function attachTrackingLinkMethods(target: pulumi.dynamic.ResourceProvider, request: { config: ConfigSource }): Promise<void> {
  const implementation = trackingLinkImplementation;
  Object.assign(target, {
    check: (olds: object, news: object) => implementation.check(olds, news),
    diff: (id: string, olds: object, news: TrackingLinkInputs) => implementation.diff(id, olds, news),
    create: (inputs: TrackingLinkInputs) => implementation.create(inputs),
    read: (id: string, props?: object) => implementation.read(id, props ?? {}),
    update: (id: string, olds: object, news: TrackingLinkInputs) => implementation.update(id, olds, news),
    delete: (id: string, props: object) => implementation.delete(id, props),
  });
  return implementation.configure(request);
}

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
