/**
 * The provider object Pulumi serializes into every TrackingLink's state (twice). It captures nothing: each method
 * loads the implementation by package name when it runs, so
 * - the text stays small and holds no secret, no client, no zod schema and no absolute path;
 * - state written by an older release is updated and deleted by the release installed now.
 * The stack must therefore have `pulumi-fansly` in its own node_modules (it does, if the program imports it).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading by package name at call time is the point */
import type * as pulumi from "@pulumi/pulumi";
import type { TrackingLinkInputs, TrackingLinkOutputs } from "./schemas";

type Provider = pulumi.dynamic.ResourceProvider<TrackingLinkInputs, TrackingLinkOutputs>;

/**
 * The TrackingLink dynamic provider, as handed to `pulumi.dynamic.Resource`.
 *
 * Only two methods are serialized (each costs ~250 bytes of state, twice per link). The host calls `configure`
 * synchronously right after deserializing, before any other call can reach this object, and `configure` attaches
 * the remaining methods from the installed package; `create` is here too because the type requires it.
 */
export const trackingLinkProvider: Provider = {
  configure(this: Provider, request) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).attachTrackingLinkMethods(this, request);
  },
  create(inputs) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.create(inputs);
  },
};
