/**
 * A TrackingLinkSet over links.yaml: the links live in a data file a person (or `pulumi-fansly import`) edits,
 * and the program stays three lines.
 *
 *   npx --no -- fansly-emulator --api-key dev-key &        # or point fansly:baseUrl at the real API
 *   pulumi config set --secret fansly:apiKey dev-key
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { TrackingLinkSet } from "pulumi-fansly";

// `pulumi config set linksFile other.yaml` to use another file (relative to this folder).
const file = new pulumi.Config().get("linksFile") ?? "links.yaml";
const links = new TrackingLinkSet("links", { file });

export const trackingLinkIds = links.trackingLinkIds;
