/**
 * The plugin face's end-to-end program: one TrackingLink per entry of links.json, as test/e2e/project's program
 * does with the dynamic face. An entry with `"provider": "second"` goes through an explicit Provider holding the
 * stack's second key (config `secondKey`, `secondAccount`), so one stack holds links of two keys. Config `statsOf`
 * adds a stack output with one link's live counters.
 */
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { getTrackingLinkStats, Provider, TrackingLink, type TrackingLinkArgs } from "pulumi-fansly/plugin";

type Declared = Record<string, TrackingLinkArgs & { provider?: "second" }>;

const declared = JSON.parse(readFileSync("links.json", "utf8")) as Declared;
const config = new pulumi.Config();
const fansly = new pulumi.Config("fansly");
const secondKey = config.getSecret("secondKey");
const second =
  secondKey === undefined
    ? undefined
    : new Provider("second", { apiKey: secondKey, accountId: config.require("secondAccount"), baseUrl: fansly.require("baseUrl"), maxRetries: 0 });

const created = Object.fromEntries(
  Object.entries(declared).map(([key, { provider, ...args }]) => {
    const options = provider === "second" && second !== undefined ? { provider: second } : {};
    return [key, new TrackingLink(key, args, options)];
  }),
);
export const links = Object.fromEntries(Object.entries(created).map(([key, link]) => [key, link.trackingLinkId]));

// With config `statsOf` naming a key of links.json: that link's counters, read live (not kept in state).
const statsOf = config.get("statsOf");
const counted = statsOf === undefined ? undefined : created[statsOf];
export const stats = counted === undefined ? undefined : getTrackingLinkStats({ trackingLinkId: counted.trackingLinkId });
