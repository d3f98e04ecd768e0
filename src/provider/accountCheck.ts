/**
 * Is the account a link names one of the key's? A typo'd `fansly:accountId` (`fansly_dmeo`) otherwise previews as a
 * replace of every link, and only `up` fails (404 "Account not found"). `check` asks here, so the mistake fails
 * `pulumi preview` before any link request, naming the accounts the key has. Both faces reach this through the
 * one `check` (src/provider/implementation.ts).
 *
 * When `check` looks: only when a link's account is new to it — a resource not in state yet, or one whose account
 * differs from its previous inputs — and known. A link that stays in its account was checked when it got there,
 * so a preview with no change (a drift check, `up` with nothing to do) costs no extra credit and still sends nothing;
 * an account disconnected since is reported by that link's own next request.
 *
 * When the listing fails: a 401 (the key is wrong) or spent credits fail the check with their own error, which
 * names the fix — every later request would fail the same way. Anything else (a 403 from a key that may not list
 * accounts, a 404 from a proxy without the route, a 5xx or network failure outlasting the retries, a reply we cannot
 * parse) skips the check: it is a convenience, and a key that may not list its accounts may still use one. The
 * link's own requests then say what is wrong, as before this check existed.
 */
import { FanslyAuthError, FanslyError, FanslyQuotaError, type FanslyClient } from "../client";
import { closestName } from "../fields";
import { howToSet } from "./config";
import { UNKNOWN_VALUE } from "./schemas";

/** How many of the key's accounts a message names before "and N more" (an agency's key may have hundreds). */
const MAX_NAMED_ACCOUNTS = 10;

/** Where a link's account came from, which decides the fix a message names. */
export type AccountSource = "argument" | "default";

/**
 * Whether `check` should look the account up: it is known (not the engine's stand-in for a value known only
 * after `up`) and new to the resource (`olds` are its previous inputs; `{}` for a resource not in state yet).
 */
export function accountIsNewTo(olds: unknown, accountId: string): boolean {
  return accountId !== UNKNOWN_VALUE && previousInput(olds, "accountId") !== accountId;
}

/** The resource's previous value of `property` (`olds`: its previous inputs; `{}` for a resource not in state yet). */
export function previousInput(olds: unknown, property: "accountId" | "trackingLinkId"): unknown {
  return typeof olds === "object" && olds !== null ? (olds as Record<string, unknown>)[property] : undefined;
}

/**
 * The accounts of one key, listed once per provider process (`GET /api/fansly/accounts`, 1 credit): by the first
 * check that needs it; checks arriving meanwhile wait on the same request. A cache with the process's lifetime —
 * one Pulumi command, as each command starts its own provider process (`pulumi up` two: its preview and its
 * update). What it may hide: an account connected in the apifansly dashboard after the listing is refused until the
 * next command; one disconnected after it passes here and is reported by its first link request. Only another key
 * or API origin invalidates it (`forSettings`).
 */
export class KeyAccounts {
  readonly #client: FanslyClient;
  /** The key and origin the listing answers for; held in memory only, like the client's own copy of the key. */
  readonly #identity: string;
  #listing: Promise<readonly string[] | undefined> | undefined;

  private constructor(client: FanslyClient, identity: string) {
    this.#client = client;
    this.#identity = identity;
  }

  /**
   * The cache for a (re)configured provider: `previous` when it answers for the same key and origin. The dynamic
   * face configures the one implementation again for every provider text it meets (a state written by an older
   * release holds another), and that must not cost another listing.
   */
  static forSettings(previous: KeyAccounts | undefined, client: FanslyClient, settings: { apiKey: string; baseUrl?: string | undefined }): KeyAccounts {
    const identity = `${settings.baseUrl ?? ""} ${settings.apiKey}`;
    return previous !== undefined && previous.#identity === identity ? previous : new KeyAccounts(client, identity);
  }

  /** Why `accountId` cannot be used with this key (a check failure's reason), or undefined when it can or we cannot tell. */
  async problem(accountId: string, source: AccountSource): Promise<string | undefined> {
    const accounts = await this.#accounts();
    if (accounts === undefined || accounts.includes(accountId)) return undefined;
    return notAnAccountOfTheKey(accountId, accounts, source);
  }

  #accounts(): Promise<readonly string[] | undefined> {
    this.#listing ??= this.#client.accounts.list().then(
      (accounts) => accounts.map((account) => account.accountId),
      (error: unknown) => {
        if (failsEveryRequest(error)) throw error;
        return undefined;
      },
    );
    return this.#listing;
  }
}

/**
 * A wrong key (401) or spent credits: every later request fails the same way, so a check that meets it fails now
 * with it. Anything else (a 403, a 5xx, …) only skips a check's look-up: the operation's own requests will say.
 */
export function failsEveryRequest(error: unknown): boolean {
  if (!(error instanceof FanslyError)) return true; // not the API's answer: a bug, not something to skip
  return (error instanceof FanslyAuthError && error.status === 401) || error instanceof FanslyQuotaError;
}

function notAnAccountOfTheKey(accountId: string, accounts: readonly string[], source: AccountSource): string {
  const suggestion = closestName(accountId, accounts);
  const example = suggestion ?? accounts[0] ?? "<account id>";
  const has = accounts.length === 0 ? "which has no account connected (connect one in the apifansly dashboard)" : `which has ${namesOf(accounts)}`;
  const meant = suggestion === undefined ? "" : `; did you mean ${suggestion}?`;
  const fix =
    source === "argument"
      ? `fix this link's accountId (in a link set: the entry's, the file's or the set's accountId), e.g. ${example}`
      : `${howToSet("accountId", example)} (on an explicit provider: set its \`accountId\`)`;
  // The engine prints the property's value as given: {<nil>} for the default account, so say where it came from.
  const which = source === "default" ? `${accountId}, the provider's default account,` : accountId;
  return `${which} is not an account of this apifansly key, ${has}${meant}: ${fix}`;
}

function namesOf(accounts: readonly string[]): string {
  const named = accounts.slice(0, MAX_NAMED_ACCOUNTS).join(", ");
  const more = accounts.length - MAX_NAMED_ACCOUNTS;
  return more > 0 ? `${named} and ${more} more` : named;
}
