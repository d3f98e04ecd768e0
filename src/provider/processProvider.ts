/**
 * The one provider implementation of this process, and how a freshly deserialized provider object (shim.ts) is
 * given its methods. Compatibility: state written by earlier releases calls `attachTrackingLinkMethods` and
 * `trackingLinkImplementation` through `require("pulumi-fansly/provider")`, so the provider's index keeps
 * re-exporting both names.
 */
import type * as pulumi from "@pulumi/pulumi";
import { withWhereToSet, type ConfigSource } from "./config";
import { TrackingLinkImplementation } from "./implementation";
import type { CheckedInputs, TrackingLinkOutputs } from "./schemas";
import { reportCostsOnExit } from "./costReport";

/** The one implementation in this process; the serialized shim reaches it by package name. */
export const trackingLinkImplementation = new TrackingLinkImplementation();

/** Gives a freshly deserialized provider object every lifecycle method, then configures the implementation. */
export function attachTrackingLinkMethods(
  target: pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>,
  request: { config: ConfigSource },
): Promise<void> {
  const implementation = trackingLinkImplementation;
  const methods: Required<Omit<pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>, "configure">> = {
    check: (olds, news) => explained(implementation.check(olds, news)),
    diff: (id, olds, news) => explained(implementation.diff(id, olds, news)),
    create: (inputs) => explained(implementation.create(inputs)),
    read: (id, props) => explained(implementation.read(id, props)),
    update: (id, olds, news) => explained(implementation.update(id, olds, news)),
    delete: (id, props) => explained(implementation.delete(id, props)),
  };
  Object.assign(target, methods);
  // The host process: leave the update's cost line when the engine stops it (once, whatever the provider texts).
  reportCostsOnExit("dynamic", () => implementation.costs());
  return implementation.configure(request);
}

/**
 * A failure as the engine shows it: a client error that names an option (`apiKey`, …) also says where it is set.
 * The dynamic face reads its settings from stack config only (a dynamic resource has no explicit provider).
 */
function explained<T>(work: Promise<T>): Promise<T> {
  return work.catch((error: unknown) => {
    const message = withWhereToSet(error, "stack config");
    if (!(error instanceof Error) || message === error.message) throw error;
    // Same class name in the host's `${error}`; the client's error, with its code and status, stays the cause.
    throw Object.assign(new Error(message, { cause: error }), { name: error.name });
  });
}
