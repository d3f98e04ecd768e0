import { replyForError, successReply, UNAUTHORIZED_MESSAGE } from "./envelope";
import type { ApiReply } from "./envelope";
import { EmulatorHttpError } from "./errors";
import {
  createTrackingLink,
  deleteTrackingLink,
  listAccounts,
  listTrackingLinks,
  updateTrackingLink,
} from "./handlers";
import type { HandlerContext } from "./handlers";
import type { RequestBody } from "./schemas";
import type { EmulatorStore } from "./store";

/** The request body cap. apifansly's is unknown; 1 MiB is far above any real link body and bounds memory. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How the request's `x-api-key` compared with the configured keys (the key itself goes no further). */
export type KeyCheck = { status: "accepted"; index: number } | { status: "rejected" } | { status: "missing" };

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: RequestBody | "too-large";
  key: KeyCheck;
}

export interface ApiSettings {
  store: EmulatorStore;
  pageSize: number | undefined;
}

export interface ApiOutcome {
  reply: ApiReply;
  /** The account the path named, when it named one (for the request log). */
  accountId?: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle: (context: HandlerContext) => unknown;
}

const ACCOUNTS_PATH = /^\/api\/fansly\/accounts\/?$/;
const TRACKING_LINKS_PATH = /^\/api\/fansly\/([^/]+)\/tracking-links\/?$/;

const ROUTES: readonly Route[] = [
  { method: "GET", pattern: ACCOUNTS_PATH, handle: listAccounts },
  { method: "GET", pattern: TRACKING_LINKS_PATH, handle: listTrackingLinks },
  { method: "POST", pattern: TRACKING_LINKS_PATH, handle: createTrackingLink },
  { method: "PUT", pattern: TRACKING_LINKS_PATH, handle: updateTrackingLink },
  // DELETE carries its id in a JSON body: see deleteTrackingLink for why that is accepted.
  { method: "DELETE", pattern: TRACKING_LINKS_PATH, handle: deleteTrackingLink },
];

export function checkApiKey(header: string | string[] | undefined, apiKeys: readonly string[]): KeyCheck {
  if (header === undefined || header === "") return { status: "missing" };
  // A repeated header is ambiguous; a real proxy would not pick one for us, so neither does the emulator.
  if (Array.isArray(header)) return { status: "rejected" };
  const index = apiKeys.indexOf(header);
  return index === -1 ? { status: "rejected" } : { status: "accepted", index };
}

/** The account an account-scoped path names, whatever the method (for routing and the request log). */
export function accountIdInPath(path: string): string | undefined {
  const segment = TRACKING_LINKS_PATH.exec(path)?.[1];
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not valid percent-encoding: no account has that name, so it 404s as unknown
  }
}

/**
 * Routes an API request and runs its handler. The order follows a typical Node API server: the body is read
 * (413) before routing (404 "Cannot …"), and the key guard (401) runs only on a route that exists.
 */
export function dispatchApi(request: ApiRequest, settings: ApiSettings): ApiOutcome {
  const route = ROUTES.find((candidate) => candidate.method === request.method && candidate.pattern.test(request.path));
  const accountId = accountIdInPath(request.path);
  try {
    if (request.body === "too-large") {
      throw new EmulatorHttpError(413, `Request body too large: the limit is ${MAX_BODY_BYTES} bytes`);
    }
    if (route === undefined) throw new EmulatorHttpError(404, `Cannot ${request.method} ${request.path}`);
    if (request.key.status !== "accepted") throw new EmulatorHttpError(401, UNAUTHORIZED_MESSAGE);
    const data = route.handle({
      store: settings.store,
      pageSize: settings.pageSize,
      accountId: accountId ?? "",
      body: request.body,
      query: request.query,
    });
    return { reply: successReply(data), accountId };
  } catch (error) {
    return { reply: replyForError(error), accountId };
  }
}
