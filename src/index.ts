/**
 * pulumi-fansly: Fansly tracking links as code. This module only re-exports; each room lives in its folder.
 */
export { TrackingLink, type TrackingLinkArgs } from "./resource";
export { TrackingLinkSet, type TrackingLinkSetArgs, LinkSetFileError, type LinkSpec, type LinkSetData, type LinkSetProblem } from "./linkSet";
export { trackingLinkProvider } from "./provider/serializedForm";
export * from "./client";
