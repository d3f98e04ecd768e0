/**
 * The shared account listing (src/client/accountListings.ts): who shares a listing, for how long, and that this
 * process's own writes are never hidden by a listing taken before them.
 */
import { AccountListings } from "../../src/client/internal/accountListings";
import type { TrackingLink } from "../../src/client";

const ACCOUNT = "fansly_a";
const link = (id: string, label = `link ${id}`): TrackingLink => ({ id, label, description: "" });

/** A fake API: each listing is answered when the test says so, with what the account holds at that moment. */
class FakeAccount {
  links: TrackingLink[] = [link("1"), link("2")];
  sent = 0;
  readonly #pending: { resolve: (links: TrackingLink[]) => void; reject: (error: Error) => void }[] = [];

  listNow = (accountId: string): Promise<TrackingLink[]> => {
    expect(accountId).toBe(ACCOUNT);
    this.sent += 1;
    return new Promise((resolve, reject) => this.#pending.push({ resolve, reject }));
  };

  /** Answers the oldest listing in flight with what the account holds now. */
  answer(): void {
    this.#pending.shift()?.resolve(this.links.map((l) => ({ ...l })));
  }

  fail(): void {
    this.#pending.shift()?.reject(new Error("500"));
  }
}

let clock = 0;
const REUSE_MS = 10_000;
let account: FakeAccount;
let listings: AccountListings;

beforeEach(() => {
  clock = 0;
  account = new FakeAccount();
  listings = new AccountListings(account.listNow, { reuseMs: REUSE_MS, now: () => clock });
});

const ids = (links: readonly TrackingLink[]): string[] => links.map((l) => l.id);

describe("sharing", () => {
  test("reads that arrive while a listing is in flight share it", async () => {
    const reads = [listings.links(ACCOUNT), listings.links(ACCOUNT), listings.links(ACCOUNT)];
    account.answer();
    const results = await Promise.all(reads);
    expect(account.sent).toBe(1);
    expect(results.map(ids)).toEqual([["1", "2"], ["1", "2"], ["1", "2"]]);
  });

  test("a completed listing answers reads within the reuse window, and a new one is sent after it", async () => {
    const first = listings.links(ACCOUNT);
    account.answer();
    await first;
    account.links.push(link("3"));
    clock += REUSE_MS - 1;
    expect(ids(await listings.links(ACCOUNT))).toEqual(["1", "2"]);
    expect(account.sent).toBe(1);
    clock += 1;
    const later = listings.links(ACCOUNT);
    account.answer();
    expect(ids(await later)).toEqual(["1", "2", "3"]);
    expect(account.sent).toBe(2);
  });

  test("a fresh read is sent even while a listing is recent, and later reads share the fresh one", async () => {
    const first = listings.links(ACCOUNT);
    account.answer();
    await first;
    account.links.push(link("3"));
    const fresh = listings.links(ACCOUNT, { fresh: true });
    account.answer();
    expect(ids(await fresh)).toEqual(["1", "2", "3"]);
    expect(ids(await listings.links(ACCOUNT))).toEqual(["1", "2", "3"]);
    expect(account.sent).toBe(2);
  });

  test("a failed listing is not reused: the next read sends a new one", async () => {
    const failed = listings.links(ACCOUNT);
    account.fail();
    await expect(failed).rejects.toThrow("500");
    const retried = listings.links(ACCOUNT);
    account.answer();
    expect(ids(await retried)).toEqual(["1", "2"]);
    expect(account.sent).toBe(2);
  });

  test("accounts do not share listings", async () => {
    const asked: string[] = [];
    const perAccount = new AccountListings(
      (accountId) => {
        asked.push(accountId);
        return Promise.resolve([link(accountId === "fansly_b" ? "10" : "20")]);
      },
      { reuseMs: REUSE_MS, now: () => clock },
    );
    expect(ids(await perAccount.links("fansly_b"))).toEqual(["10"]);
    expect(ids(await perAccount.links("fansly_c"))).toEqual(["20"]);
    expect(ids(await perAccount.links("fansly_b"))).toEqual(["10"]);
    expect(asked).toEqual(["fansly_b", "fansly_c"]);
  });
});

describe("this process's writes", () => {
  test("a read after our own create, update and delete sees them on top of the listing taken before", async () => {
    const first = listings.links(ACCOUNT);
    account.answer();
    await first;
    listings.recordCreated(ACCOUNT, link("3", "new"));
    listings.recordUpdated(ACCOUNT, { id: "1", label: "renamed", description: "d" });
    listings.recordDeleted(ACCOUNT, "2");
    const seen = await listings.links(ACCOUNT);
    expect(seen).toEqual([{ id: "1", label: "renamed", description: "d" }, link("3", "new")]);
    expect(account.sent).toBe(1);
  });

  test("a write made while a listing is in flight is applied to it (the listing may or may not hold it)", async () => {
    const inFlight = listings.links(ACCOUNT);
    listings.recordDeleted(ACCOUNT, "1");
    // The server answers with the link still there (the listing was taken before the DELETE landed).
    account.answer();
    expect(ids(await inFlight)).toEqual(["2"]);
  });

  test("a reader of an older listing still gets every write made after it, even once a fresh listing replaced it", async () => {
    const old = listings.links(ACCOUNT);
    listings.recordCreated(ACCOUNT, link("3"));
    const fresh = listings.links(ACCOUNT, { fresh: true });
    listings.recordCreated(ACCOUNT, link("4"));
    account.answer(); // old: the account as it was, without 3 or 4
    account.links.push(link("3"));
    account.answer(); // fresh: holds 3, not yet 4
    expect(ids(await old)).toEqual(["1", "2", "3", "4"]);
    expect(ids(await fresh)).toEqual(["1", "2", "3", "4"]);
  });

  test("a write recorded before a listing was sent is not applied to it: the listing is the newer truth", async () => {
    listings.recordCreated(ACCOUNT, link("3"));
    // Someone deleted it by hand after we made it.
    const read = listings.links(ACCOUNT);
    account.answer();
    expect(ids(await read)).toEqual(["1", "2"]);
  });
});
