/**
 * pulumi-fansly: Fansly tracking links as code. This module only re-exports; each room lives in its folder
 * (`client/`, `emulator/`, and the provider with the `TrackingLink` resource).
 */
export * from "./client";
