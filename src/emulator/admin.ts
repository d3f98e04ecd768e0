import { bodyAsJson } from "./body";
import { FAULT_EXAMPLE, checkFault } from "./faults";
import type { FaultQueue } from "./faults";
import type { RequestLog } from "./requestLog";
import type { RequestBody } from "./schemas";
import type { EmulatorStore } from "./store";
import { applyCounterBody, COUNTERS_EXAMPLE } from "./traffic";

/** Controls live under a prefix no apifansly route uses, so they can never shadow the API. */
export const ADMIN_PREFIX = "/__emulator";

export interface AdminContext {
  store: EmulatorStore;
  faults: FaultQueue;
  log: RequestLog;
}

export interface AdminReply {
  status: number;
  body: unknown;
}

interface AdminRoute {
  method: string;
  path: string;
  handle: (body: RequestBody | "too-large", context: AdminContext) => AdminReply;
}

// Read and control only: nothing here creates, edits or deletes a link, so a test cannot reach a state the
// real API could not produce. Links change through the API routes or, for seeding, through the store in code.
// Counters are the exception that proves it: on Fansly visitors move them, never the API, so they are set here.
const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: "GET", path: `${ADMIN_PREFIX}/state`, handle: showState },
  { method: "GET", path: `${ADMIN_PREFIX}/requests`, handle: showRequests },
  { method: "DELETE", path: `${ADMIN_PREFIX}/requests`, handle: clearRequests },
  { method: "GET", path: `${ADMIN_PREFIX}/faults`, handle: showFaults },
  { method: "POST", path: `${ADMIN_PREFIX}/faults`, handle: addFault },
  { method: "DELETE", path: `${ADMIN_PREFIX}/faults`, handle: clearFaults },
  { method: "POST", path: `${ADMIN_PREFIX}/counters`, handle: setCounters },
];

const AVAILABLE = ADMIN_ROUTES.map((route) => `${route.method} ${route.path}`).join(", ");

export function isAdminPath(path: string): boolean {
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

export function handleAdmin(
  method: string,
  path: string,
  body: RequestBody | "too-large",
  context: AdminContext,
): AdminReply {
  const route = ADMIN_ROUTES.find((candidate) => candidate.method === method && candidate.path === path);
  if (route === undefined) {
    return { status: 404, body: { error: `no emulator control at ${method} ${path}; available: ${AVAILABLE}` } };
  }
  return route.handle(body, context);
}

function showState(_body: RequestBody | "too-large", { store }: AdminContext): AdminReply {
  return { status: 200, body: { accounts: store.toJSON().accounts } };
}

function showRequests(_body: RequestBody | "too-large", { log }: AdminContext): AdminReply {
  return { status: 200, body: { requests: log.list() } };
}

function clearRequests(_body: RequestBody | "too-large", { log }: AdminContext): AdminReply {
  return { status: 200, body: { cleared: log.clear() } };
}

function showFaults(_body: RequestBody | "too-large", { faults }: AdminContext): AdminReply {
  return { status: 200, body: { faults: faults.list() } };
}

function addFault(body: RequestBody | "too-large", { faults }: AdminContext): AdminReply {
  const json = bodyAsJson(body);
  if (!json.ok) {
    return { status: 400, body: { error: `send one fault as a JSON object; example: ${FAULT_EXAMPLE}` } };
  }
  const checked = checkFault(json.value);
  if (!checked.ok) return { status: 400, body: { error: checked.message } };
  const added = faults.add(checked.fault);
  return { status: 201, body: { added, faults: faults.list() } };
}

function clearFaults(_body: RequestBody | "too-large", { faults }: AdminContext): AdminReply {
  return { status: 200, body: { cleared: faults.clear() } };
}

function setCounters(body: RequestBody | "too-large", { store }: AdminContext): AdminReply {
  const json = bodyAsJson(body);
  if (!json.ok) return { status: 400, body: { error: `send a link's counters as a JSON object (or an array of them); example: ${COUNTERS_EXAMPLE}` } };
  const applied = applyCounterBody(store, json.value);
  return applied.ok ? { status: 200, body: { updated: applied.links } } : { status: applied.status, body: { error: applied.message } };
}
