/** Pulumi's mocks for unit tests of the resources, shared by the TrackingLink and TrackingLinkSet tests. */
import * as pulumi from "@pulumi/pulumi";
import { DYNAMIC_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";

/** A resource as the program registered it. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/**
 * Sets Pulumi's mocks (call it before importing the package, as Pulumi's testing guide says): a TrackingLink gets
 * a fresh snowflake id, or the id it adopts; other resources echo their inputs. Returns every registration, in order.
 */
export function mockPulumi(firstId = 845759434926862336n): Registered[] {
  const registered: Registered[] = [];
  let nextId = firstId;
  void pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const inputs = args.inputs as Record<string, unknown>;
        registered.push({ type: args.type, name: args.name, inputs });
        if (args.type !== DYNAMIC_TRACKING_LINK_TYPE) return { id: `${args.name}_id`, state: inputs };
        const id = typeof inputs.trackingLinkId === "string" ? inputs.trackingLinkId : String(nextId++);
        return { id, state: { ...inputs, trackingLinkId: id, adopted: typeof inputs.trackingLinkId === "string" } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs as Record<string, unknown>;
      },
    },
    "project",
    "stack",
    false,
  );
  return registered;
}

/** An output's value, once Pulumi resolved it. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
