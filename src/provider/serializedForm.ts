/**
 * Which object `TrackingLink` hands to `pulumi.dynamic.Resource`: the shim module's own exports when Pulumi will
 * write them as a `require()` of this package, otherwise a copy, which Pulumi writes by value.
 *
 * Pulumi's closure serializer (runtime/closure/createClosure.js) looks the object up in `require.cache`; when the
 * module's path relative to the working directory goes through `node_modules`, it writes
 * `require("<everything after the first node_modules>")`, mapped through the package's `exports`. That name is
 * right for an npm or yarn install (`node_modules/pulumi-fansly/dist/provider/shim.js`), but not for layouts with
 * more than one `node_modules` on the way (pnpm's `node_modules/.pnpm/…/node_modules/pulumi-fansly`, a copy nested
 * under another package): there the serializer would fail or write a name the provider host cannot load. This
 * module checks the name first and falls back to the by-value copy (~940 bytes instead of ~240) in those layouts.
 */
import { relative } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { CheckedInputs, TrackingLinkOutputs } from "./schemas";
// `export =` modules are imported this way; the object must be the module's exports themselves, not a wrapper.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import shim = require("./shim");

type Provider = pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>;

/** The package-relative path package.json exports the shim under (its key is the file path itself, see below). */
export const SHIM_MODULE = "pulumi-fansly/dist/provider/shim.js";

/**
 * True when Pulumi would write `shimFile` as `require(SHIM_MODULE)`, or would copy it anyway because it is not
 * under `node_modules` at all. The export key in package.json is the file's own path: when the serializer cannot
 * read our package.json (an SDK linked from elsewhere), it writes that path unmapped, and it must still load.
 */
export function isSafeToReference(shimFile: string, cwd: string): boolean {
  const parts = relative(cwd, shimFile).split(/[\\/]/);
  const first = parts.indexOf("node_modules");
  return first === -1 || parts.slice(first + 1).join("/") === SHIM_MODULE;
}

/** The object to serialize: the module's exports (small, by reference) when safe, else a copy (by value). */
export function providerToSerialize(shimFile: string = require.resolve("./shim"), cwd: string = process.cwd()): Provider {
  return isSafeToReference(shimFile, cwd) ? shim : { ...shim };
}

/** The TrackingLink dynamic provider, as `TrackingLink` hands it to `pulumi.dynamic.Resource`. */
export const trackingLinkProvider: Provider = providerToSerialize();
