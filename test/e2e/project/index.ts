/**
 * The end-to-end scenario's program: one TrackingLink per entry of links.json, so each step of the scenario
 * changes the program by editing that file, as a user edits their program.
 */
import { readFileSync } from "node:fs";
import { TrackingLink, type TrackingLinkArgs } from "pulumi-fansly";

const declared = JSON.parse(readFileSync("links.json", "utf8")) as Record<string, TrackingLinkArgs>;

export const links = Object.fromEntries(Object.entries(declared).map(([key, args]) => [key, new TrackingLink(key, args).trackingLinkId]));
