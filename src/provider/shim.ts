/**
 * The provider object Pulumi serializes into every TrackingLink's state (twice). This module's exports ARE that
 * object (`export =`), which decides how Pulumi's closure serializer writes it:
 * - installed from the registry or a tarball (a real folder under `node_modules`), the serializer recognises a
 *   module's exports and writes `require("pulumi-fansly/dist/provider/shim.js")`: about 240 bytes, no code at all
 *   (package.json exports that path for this reason);
 * - anywhere else (a symlinked package, tests that import the sources), it copies the object by value: the two
 *   methods below, about 940 bytes.
 * Either way the text holds no secret, no client, no zod schema and no absolute path, and each method loads the
 * implementation by package name when it runs, so state written by an older release is updated and deleted by the
 * release installed now. The stack must therefore have `pulumi-fansly` in its own node_modules (it does, if the
 * program imports it).
 *
 * Compatibility: state written by the by-reference form names this file's path, so every later release must keep
 * a module whose exports are a provider at `pulumi-fansly/dist/provider/shim.js`, exported under that subpath.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading by package name at call time is the point */
import type * as pulumi from "@pulumi/pulumi";
import type { CheckedInputs, TrackingLinkOutputs } from "./schemas";

type Provider = pulumi.dynamic.ResourceProvider<CheckedInputs, TrackingLinkOutputs>;

/**
 * The TrackingLink dynamic provider, as handed to `pulumi.dynamic.Resource`.
 *
 * Only two methods are written (each costs ~250 bytes of state, twice per link, when copied by value). The host
 * calls `configure` right after loading the text, before any other call can reach this object, and `configure`
 * attaches the remaining methods from the installed package; `create` is here too because the type requires it.
 */
const trackingLinkProvider: Provider = {
  configure(this: Provider, request) {
    return (require("pulumi-fansly/provider") as typeof import("./processProvider")).attachTrackingLinkMethods(this, request);
  },
  create(inputs) {
    return (require("pulumi-fansly/provider") as typeof import("./processProvider")).trackingLinkImplementation.create(inputs);
  },
};

export = trackingLinkProvider;
