/**
 * A stack per account: this program is every stack's, and each stack reads its own link-set file,
 * links/<stack>.yaml, for the account its Pulumi.<stack>.yaml names (fansly:accountId). Both files are written by
 * `pulumi-fansly import --all-accounts`; `pulumi-fansly fleet up` runs the stacks side by side within the key's
 * requests-per-minute.
 */
import * as pulumi from "@pulumi/pulumi";
import { TrackingLinkSet } from "pulumi-fansly";

const links = new TrackingLinkSet("links", { file: `links/${pulumi.getStack()}.yaml` });

export const trackingLinkIds = links.trackingLinkIds;
