/**
 * A program of both faces: one TrackingLink per entry of links.json, on the plugin face (`pulumi-fansly/plugin`)
 * when the entry says `"face": "plugin"`, else on the dynamic face (`pulumi-fansly`), as a stack does that keeps a
 * TrackingLinkSet on the TypeScript face beside plugin-face links. Both take their settings from `fansly:*` config.
 */
import { readFileSync } from "node:fs";
import { TrackingLink, type TrackingLinkArgs } from "pulumi-fansly";
import { TrackingLink as PluginTrackingLink } from "pulumi-fansly/plugin";

const declared = JSON.parse(readFileSync("links.json", "utf8")) as Record<string, TrackingLinkArgs & { face?: "plugin" }>;

export const links = Object.fromEntries(
  Object.entries(declared).map(([key, { face, ...args }]) => [key, (face === "plugin" ? new PluginTrackingLink(key, args) : new TrackingLink(key, args)).trackingLinkId]),
);
