/**
 * The one provider implementation of this process, and how a freshly deserialized provider object (shim.ts) is
 * given its methods. Compatibility: state written by earlier releases calls `attachTrackingLinkMethods` and
 * `trackingLinkImplementation` through `require("pulumi-fansly/provider")`, so the provider's index keeps
 * re-exporting both names.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigSource } from "./config";
import { TrackingLinkImplementation } from "./implementation";
import type { TrackingLinkInputs, TrackingLinkOutputs } from "./schemas";

/** The one implementation in this process; the serialized shim reaches it by package name. */
export const trackingLinkImplementation = new TrackingLinkImplementation();

/** Gives a freshly deserialized provider object every lifecycle method, then configures the implementation. */
export function attachTrackingLinkMethods(
  target: pulumi.dynamic.ResourceProvider<TrackingLinkInputs, TrackingLinkOutputs>,
  request: { config: ConfigSource },
): Promise<void> {
  const implementation = trackingLinkImplementation;
  const methods: Required<Omit<pulumi.dynamic.ResourceProvider<TrackingLinkInputs, TrackingLinkOutputs>, "configure">> = {
    check: (olds, news) => implementation.check(olds, news),
    diff: (id, olds, news) => implementation.diff(id, olds, news),
    create: (inputs) => implementation.create(inputs),
    read: (id, props) => implementation.read(id, props),
    update: (id, olds, news) => implementation.update(id, olds, news),
    delete: (id, props) => implementation.delete(id, props),
  };
  Object.assign(target, methods);
  return implementation.configure(request);
}
