import { fanslyAnswer } from "./envelope";
import { accountNotFound } from "./errors";
import { CreateLinkBodySchema, DeleteLinkBodySchema, parseBody, queryInteger, UpdateLinkBodySchema } from "./schemas";
import type { RequestBody } from "./schemas";
import type { EmulatorStore } from "./store";

/** What a handler may read. Handlers return the envelope's `data`, or throw `EmulatorHttpError`. */
export interface HandlerContext {
  store: EmulatorStore;
  pageSize: number | undefined;
  accountId: string;
  body: RequestBody;
  query: URLSearchParams;
}

// apifansly does not say when an account was connected; a fixed date keeps replies deterministic.
const ACCOUNT_CONNECTED_AT = "2026-01-01T00:00:00.000Z";
const ACCOUNT_COUNTRY = "US";

// An unknown account is a 404 before a bad body is a 400, as routing comes before validation on a real server.
function requireAccount(store: EmulatorStore, accountId: string): void {
  if (!store.hasAccount(accountId)) throw accountNotFound();
}

/** GET /api/fansly/accounts — every account the emulator knows (one key sees them all here). */
export function listAccounts({ store }: HandlerContext): unknown {
  const accounts = store.accountIds().map((accountId) => ({
    accountId,
    email: `${accountId}@example.com`,
    name: accountId,
    country: ACCOUNT_COUNTRY,
    createdAt: ACCOUNT_CONNECTED_AT,
  }));
  return { success: true, count: accounts.length, accounts };
}

/** GET /api/fansly/{account_id}/tracking-links — all links, or one page of them when paging is on. */
export function listTrackingLinks({ store, pageSize, accountId, query }: HandlerContext): unknown {
  const links = store.listLinks(accountId);
  if (pageSize === undefined) return fanslyAnswer(links);
  // Fansly's own list is unpaginated and apifansly documents no paging. This shape ({ list, offset, limit,
  // hasMore } with ?offset=&limit=) is our guess, there so the client's "follow paging to the end" is tested.
  const offset = queryInteger(query, "offset", 0, 0);
  const limit = Math.min(queryInteger(query, "limit", pageSize, 1), pageSize);
  const list = links.slice(offset, offset + limit);
  return fanslyAnswer({ list, offset, limit, hasMore: offset + list.length < links.length });
}

/** POST /api/fansly/{account_id}/tracking-links — creates a custom link and answers with it. */
export function createTrackingLink({ store, accountId, body }: HandlerContext): unknown {
  requireAccount(store, accountId);
  const input = parseBody(CreateLinkBodySchema, body);
  return fanslyAnswer(store.createLink(accountId, { label: input.label, description: input.description ?? "" }));
}

/** PUT /api/fansly/{account_id}/tracking-links — the id travels in the body as `id` (documented). */
export function updateTrackingLink({ store, accountId, body }: HandlerContext): unknown {
  requireAccount(store, accountId);
  const input = parseBody(UpdateLinkBodySchema, body);
  return fanslyAnswer(store.updateLink(accountId, input.id, { label: input.label, description: input.description }));
}

/**
 * DELETE /api/fansly/{account_id}/tracking-links — the id travels in a JSON body (`trackingLinkId`). A body on a
 * DELETE is unusual and some HTTP stacks drop it, but it is exactly what the documented API does, so the
 * emulator accepts it rather than a path parameter. The reply has no `response`, exactly as documented.
 */
export function deleteTrackingLink({ store, accountId, body }: HandlerContext): unknown {
  requireAccount(store, accountId);
  const input = parseBody(DeleteLinkBodySchema, body);
  store.deleteLink(accountId, input.trackingLinkId);
  return { status_code: 200, data: { success: true } };
}
