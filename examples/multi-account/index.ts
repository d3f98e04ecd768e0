/**
 * An agency's standard tracking links in every account it manages: the accounts are a list in stack config
 * (`accounts`), the links are code, and each account gets its own TrackingLinkSet named after it, so resource
 * names (`<account>-<key>`) never collide and adding an account to the list adds only that account's links.
 *
 * A stack's list replaces Pulumi.yaml's default as a whole, so name every account (see README.md):
 *   pulumi config set --path 'accounts[0]' fansly_demo
 *   pulumi config set --path 'accounts[1]' fansly_second
 *   pulumi config set --path 'accounts[2]' fansly_third      # add an account
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID_PATTERN, TrackingLinkSet, type LinkSpec } from "pulumi-fansly";

/** The links every account gets, by stable key. */
const STANDARD_LINKS: Record<string, LinkSpec> = {
  "twitter-bio": { label: "Twitter bio", description: "pinned profile link" },
  "reddit-profile": { label: "Reddit profile" },
  "instagram-story": { label: "Instagram story", description: "swipe-up of the weekly story" },
};

/** The account list from config, checked so a typo fails at preview with the entry that is wrong. */
function configuredAccounts(config: pulumi.Config): string[] {
  const accounts = config.requireObject<unknown>("accounts");
  if (!Array.isArray(accounts) || accounts.length === 0) {
    throw new Error("accounts must be a non-empty list of apifansly account ids: pulumi config set --path 'accounts[0]' fansly_…");
  }
  const entries: readonly unknown[] = accounts;
  return entries.map((account, i) => {
    if (typeof account !== "string" || !ACCOUNT_ID_PATTERN.test(account)) {
      throw new Error(`accounts[${i}] must be apifansly's account id (letters, digits, _ or -, like fansly_…): the apifansly dashboard lists yours`);
    }
    return account;
  });
}

const sets = configuredAccounts(new pulumi.Config()).map(
  (accountId) => [accountId, new TrackingLinkSet(accountId, { accountId, links: STANDARD_LINKS })] as const,
);

/** Each account's link ids, by key. */
export const trackingLinkIds = Object.fromEntries(sets.map(([accountId, set]) => [accountId, set.trackingLinkIds] as const));
