/**
 * What a report reads from the API: the key's accounts (one GET), then each chosen account's links, each account
 * listed exactly once per report, a few at a time. Only the client's public methods are used.
 */
import { FanslyAuthError, FanslyNotFoundError, isBuiltInLink, type FanslyClient, type TrackingLink } from "../client";
import { ReportError } from "./errors";
import type { AccountListing, SnapshotLink } from "./snapshots";

/** Accounts listed at once: an agency has tens of accounts; the client's rate limit paces the requests anyway. */
const LIST_CONCURRENCY = 4;
/** How many of the key's accounts an "unknown account" message names. */
const ACCOUNTS_NAMED = 5;

/** The accounts to report: those asked for (each checked against the key's), or every account of the key. */
export async function chooseAccounts(client: FanslyClient, requested: readonly string[] | undefined): Promise<string[]> {
  let known: string[];
  try {
    known = (await client.accounts.list()).map((account) => account.accountId);
  } catch (error) {
    if (error instanceof FanslyAuthError) {
      throw new ReportError(`FANSLY_API_KEY may not list its accounts (HTTP ${error.status ?? "?"} from GET /api/fansly/accounts): copy a valid key from the apifansly dashboard into FANSLY_API_KEY`, "FANSLY_AUTH");
    }
    throw error;
  }
  if (known.length === 0) throw new ReportError("this key has no Fansly account connected: connect one in the apifansly dashboard, then run the report again");
  if (requested === undefined || requested.length === 0) return known;
  const unique = [...new Set(requested)];
  const unknown = unique.filter((accountId) => !known.includes(accountId));
  if (unknown.length > 0) {
    const named = known.slice(0, ACCOUNTS_NAMED).join(", ") + (known.length > ACCOUNTS_NAMED ? `, … (${known.length} in all)` : "");
    throw new ReportError(`${unknown.join(", ")} ${unknown.length === 1 ? "is not an account" : "are not accounts"} of this key: pass --account with one of ${named}, or connect it in the apifansly dashboard`);
  }
  return unique;
}

/** Lists each account's links once (LIST_CONCURRENCY at a time), in the order given. */
export async function listAccounts(client: FanslyClient, accountIds: readonly string[], onListed?: (listing: AccountListing) => void): Promise<AccountListing[]> {
  const listings: AccountListing[] = new Array<AccountListing>(accountIds.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < accountIds.length) {
      const index = next++;
      const accountId = accountIds[index] ?? "";
      const listing: AccountListing = { accountId, links: (await listOnce(client, accountId)).map(snapshotLinkOf) };
      listings[index] = listing;
      onListed?.(listing);
    }
  };
  await Promise.all(Array.from({ length: Math.min(LIST_CONCURRENCY, accountIds.length) }, worker));
  return listings;
}

async function listOnce(client: FanslyClient, accountId: string): Promise<TrackingLink[]> {
  try {
    return await client.trackingLinks.list(accountId);
  } catch (error) {
    if (error instanceof FanslyAuthError) {
      throw new ReportError(`FANSLY_API_KEY may not list the tracking links of ${accountId} (HTTP ${error.status ?? "?"}): reconnect the account in the apifansly dashboard, or leave it out (name the others with --account)`, "FANSLY_AUTH");
    }
    if (error instanceof FanslyNotFoundError) {
      throw new ReportError(`account ${accountId} was not found when listing its links (HTTP 404): it may have been disconnected; check the apifansly dashboard, or leave it out with --account`, "FANSLY_NOT_FOUND");
    }
    throw error;
  }
}

/** Counters the API leaves out count as 0 (the contract infers them, it does not promise them). */
function snapshotLinkOf(link: TrackingLink): SnapshotLink {
  return {
    id: link.id,
    label: link.label,
    builtIn: isBuiltInLink(link),
    counters: {
      clicks: BigInt(link.clicks ?? 0),
      claims: BigInt(link.claims ?? 0),
      follows: BigInt(link.follows ?? 0),
      subscriptions: BigInt(link.subscriptions ?? 0),
      gross: BigInt(link.totalGross ?? 0),
      net: BigInt(link.totalNet ?? 0),
    },
  };
}
