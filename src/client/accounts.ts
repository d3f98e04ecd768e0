/** `AccountsApi`: the accounts connected to the key. */
import { AccountsExtraction, type Account } from "./schemas";
import type { Requester } from "./internal/requester";

/** Accounts connected to the key. */
export class AccountsApi {
  readonly #client: Requester;

  constructor(client: Requester) {
    this.#client = client;
  }

  /** The accounts this key may use; a cheap way to check a key and an account id before changing anything. */
  async list(): Promise<Account[]> {
    return this.#client.withinOneCall(() => this.#client.send("GET", "/api/fansly/accounts", undefined, AccountsExtraction));
  }
}
