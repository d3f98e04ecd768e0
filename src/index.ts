/**
 * pulumi-fansly: Fansly tracking links as code. This module only re-exports; each room lives in its folder.
 */
export { TrackingLink, type TrackingLinkArgs } from "./resource";
export { trackingLinkProvider } from "./provider";
export * from "./client";
