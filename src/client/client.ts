/**
 * `FanslyClient`: the apifansly API by resource, on one keep-alive undici dispatcher per client.
 */
import { AccountsApi } from "./accounts";
import { Requester } from "./internal/requester";
import { resolveOptions, type FanslyClientOptions } from "./options";
import { TrackingLinksApi } from "./trackingLinks";

/** A client for apifansly's tracking-link routes. Create one per key; `close()` it when done. */
export class FanslyClient {
  /** Tracking-link operations. */
  readonly trackingLinks: TrackingLinksApi;
  /** Accounts connected to the key. */
  readonly accounts: AccountsApi;
  // Private: the key lives in here, and a private field is invisible to util.inspect and JSON.stringify.
  readonly #requester: Requester;

  constructor(options: FanslyClientOptions) {
    const resolved = resolveOptions(options);
    this.#requester = new Requester(options, resolved);
    this.trackingLinks = new TrackingLinksApi(this.#requester, resolved.listingReuseMs);
    this.accounts = new AccountsApi(this.#requester);
  }

  /** Closes the client's own connections. An injected dispatcher is left to its owner. */
  close(): Promise<void> {
    return this.#requester.close();
  }
}
