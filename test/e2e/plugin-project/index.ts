/**
 * The plugin face's end-to-end program: one TrackingLink per entry of links.json, as test/e2e/project's program
 * does with the dynamic face. An entry with `"provider": "second"` goes through an explicit Provider holding the
 * stack's second key (config `secondKey`, `secondAccount`), so one stack holds links of two keys.
 */
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { Provider, TrackingLink, type TrackingLinkArgs } from "pulumi-fansly/plugin";

type Declared = Record<string, TrackingLinkArgs & { provider?: "second" }>;

const declared = JSON.parse(readFileSync("links.json", "utf8")) as Declared;
const config = new pulumi.Config();
const fansly = new pulumi.Config("fansly");
const secondKey = config.getSecret("secondKey");
const second =
  secondKey === undefined
    ? undefined
    : new Provider("second", { apiKey: secondKey, accountId: config.require("secondAccount"), baseUrl: fansly.require("baseUrl"), maxRetries: 0 });

export const links = Object.fromEntries(
  Object.entries(declared).map(([key, { provider, ...args }]) => {
    const options = provider === "second" && second !== undefined ? { provider: second } : {};
    return [key, new TrackingLink(key, args, options).trackingLinkId];
  }),
);
