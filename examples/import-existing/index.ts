/**
 * Adopting an account's existing links: `npx pulumi-fansly import` writes links.yaml from the account (each entry
 * with its trackingLinkId), and this TrackingLinkSet takes them over on the next `pulumi up` without creating,
 * changing or deleting any. See README.md for the walk-through.
 */
import { existsSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { TrackingLinkSet } from "pulumi-fansly";

const file = new pulumi.Config().get("linksFile") ?? "links.yaml";
if (!existsSync(file)) {
  throw new Error(`${file} does not exist yet: run \`npx pulumi-fansly import --account <your account id> --out ${file}\` in this folder first (README.md)`);
}
const links = new TrackingLinkSet("links", { file });

export const trackingLinkIds = links.trackingLinkIds;
