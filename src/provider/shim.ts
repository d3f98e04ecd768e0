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

/** The TrackingLink dynamic provider, as handed to `pulumi.dynamic.Resource`. */
export const trackingLinkProvider: Provider = {
  configure(request) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.configure(request);
  },
  check(olds, news) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.check(olds, news);
  },
  diff(id, olds, news) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.diff(id, olds, news);
  },
  create(inputs) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.create(inputs);
  },
  read(id, props) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.read(id, props ?? {});
  },
  update(id, olds, news) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.update(id, olds, news);
  },
  delete(id, props) {
    return (require("pulumi-fansly/provider") as typeof import("./index")).trackingLinkImplementation.delete(id, props);
  },
};
