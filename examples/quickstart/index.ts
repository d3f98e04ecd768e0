/**
 * Quickstart: three tracking links, managed as code, against the local emulator by default.
 *
 *   npm run build && npm run emulator &        # the API stand-in on 127.0.0.1:8787, key dev-key
 *   pulumi config set --secret fansly:apiKey dev-key
 *   pulumi up
 */
import { TrackingLink } from "pulumi-fansly";

const twitter = new TrackingLink("twitter-bio", { label: "Twitter bio", description: "pinned profile link" });
const reddit = new TrackingLink("reddit-post-3", { label: "Reddit post #3" });
const instagram = new TrackingLink("instagram-story", { label: "Instagram story" });

export const ids = { twitter: twitter.trackingLinkId, reddit: reddit.trackingLinkId, instagram: instagram.trackingLinkId };
