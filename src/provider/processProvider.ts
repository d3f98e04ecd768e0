/**
 * The one provider implementation of this process, and how a freshly deserialized provider object (shim.ts) is
 * given its methods. Compatibility: state written by earlier releases calls `attachTrackingLinkMethods` and
 * `trackingLinkImplementation` through `require("pulumi-fansly/provider")`, so the provider's index keeps
 * re-exporting both names.
 */
import type * as pulumi from "@pulumi/pulumi";
import { FanslyError } from "../client";
import type { ConfigSource } from "./config";
import { TrackingLinkImplementation } from "./implementation";
import type { CheckedInputs, TrackingLinkOutputs } from "./schemas";
import { reportCostsOnExit } from "./costReport";

/** The one implementation in this process; the serialized shim reaches it by package name. */
export const trackingLinkImplementation = new TrackingLinkImplementation();

type DynamicMethods = Required<Omit<pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>, "configure">>;

/**
 * Gives a freshly deserialized provider object every lifecycle method, then configures the implementation (the
 * process's one; tests pass their own).
 */
export function attachTrackingLinkMethods(
  target: pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>,
  request: { config: ConfigSource },
  implementation: TrackingLinkImplementation = trackingLinkImplementation,
): Promise<void> {
  Object.assign(target, dynamicFaceOf(implementation));
  // The host process: leave the update's cost line when the engine stops it (once, whatever the provider texts).
  reportCostsOnExit("dynamic", () => implementation.costs());
  return implementation.configure(request);
}

/** The dynamic face's lifecycle methods onto `implementation`. */
function dynamicFaceOf(implementation: TrackingLinkImplementation): DynamicMethods {
  const explained = <T>(work: Promise<T>): Promise<T> =>
    work.catch((error: unknown) => {
      throw asHostError(error, implementation);
    });
  return {
    check: (olds, news) => explained(implementation.check(olds, news)),
    diff: (id, olds, news) => explained(implementation.diff(id, olds, news)),
    create: (inputs) => explained(implementation.create(inputs)),
    read: (id, props) => explained(implementation.read(id, props)),
    update: (id, olds, news) => explained(implementation.update(id, olds, news)),
    delete: (id, props) => explained(implementation.delete(id, props)),
  };
}

/**
 * A failure as the engine shows it: a client error that names an option (`apiKey`, …) also says where it is set
 * (`explain`). The dynamic-provider host prints `${error}: ${error.stack}` on its stderr for a failed check, diff,
 * read or delete, and the engine then prints the message as the resource's error. Measured with the CLI 3.248 (a
 * refresh with a rejected key): the host's line came out as the whole message again. So our errors give the host
 * their class name and where the message is, no frames (they are no bug of ours), and the message is shown once, by the engine;
 * `check` returns its failures instead, so a preview shows one line. Anything else keeps its stack.
 */
function asHostError(error: unknown, implementation: TrackingLinkImplementation): unknown {
  if (!(error instanceof FanslyError)) return error;
  // The client's error, with its code and status, stays the cause.
  return Object.assign(new Error(implementation.explain(error), { cause: error }), {
    name: error.name,
    stack: "reported as the resource's error",
    toString: () => error.name,
  });
}
