/**
 * The fault matrix: every lifecycle operation × every way the API misbehaves, through the real dynamic-provider
 * host against the emulator's fault injection. Each cell states its expected outcome up front (succeeds, or a
 * named error whose message says what to do), and every cell, whatever its outcome, ends with the same checks:
 * no duplicate link, no lost link, and what the provider reported matches what the emulator holds.
 */
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import type { FaultSpec } from "../../src/emulator";
import { preparedStackDir } from "../host/stack";
import { Engine, ProviderHost, serializedProvider, type ResourceState } from "../host/providerHost";

const KEY = "fault-matrix-canary-key-77e1";
const ACCOUNT = "fansly_matrix";
/** Short, so "headers slower than the timeout" costs seconds, not minutes. */
const TIMEOUT_MS = 1000;
const SLOW_HEADERS_MS = 3000;

type Operation = "create" | "read" | "update" | "delete";
const OPERATIONS: readonly Operation[] = ["create", "read", "update", "delete"];
const METHOD_OF: Record<Operation, string> = { create: "POST", read: "GET", update: "PUT", delete: "DELETE" };

/** "ok", or the error message must match this pattern (which always includes the advice part). */
type Expected = "ok" | RegExp;

interface FaultCase {
  name: string;
  /** The method the fault is armed on; default the operation's own. */
  onMethod?: string;
  fault: () => Omit<FaultSpec, "method">;
  expected: Record<Operation, Expected>;
}

const ALL_OK: Record<Operation, Expected> = { create: "ok", read: "ok", update: "ok", delete: "ok" };
const everywhere = (pattern: RegExp): Record<Operation, Expected> => ({ create: pattern, read: pattern, update: pattern, delete: pattern });

const FAULTS: readonly FaultCase[] = [
  // Waited out: a POST is safe to repeat after a 429 (the server did not act).
  { name: "429, Retry-After in seconds", fault: () => ({ status: 429, retryAfter: 1 }), expected: ALL_OK },
  { name: "429, Retry-After as an HTTP date", fault: () => ({ status: 429, retryAfter: new Date(Date.now() + 2000).toUTCString() }), expected: ALL_OK },
  // A 500 is the server's own failure, not a passing one: reported, nothing changed.
  { name: "500", fault: () => ({ status: 500 }), expected: everywhere(/500 Internal Server Error .*try again later/) },
  // Gateways: GET/PUT/DELETE retried; a POST looks first (the link is not there), then posts again.
  { name: "502", fault: () => ({ status: 502 }), expected: ALL_OK },
  { name: "503", fault: () => ({ status: 503 }), expected: ALL_OK },
  { name: "504", fault: () => ({ status: 504 }), expected: ALL_OK },
  { name: "connection reset before the reply", fault: () => ({ kind: "drop" }), expected: ALL_OK },
  // The change is made and the reply lost: a POST finds its link instead of making a second one.
  { name: "reply lost after the change was applied", fault: () => ({ kind: "apply-then-drop" }), expected: ALL_OK },
  { name: "headers slower than the timeout", fault: () => ({ kind: "slow-headers", latencyMs: SLOW_HEADERS_MS }), expected: ALL_OK },
  // Cut mid-body: GET/PUT/DELETE sent again whole, once; a POST looks for its link.
  { name: "body cut short", fault: () => ({ kind: "truncate-body" }), expected: ALL_OK },
  // An unreadable 2xx: a GET is read once more; a POST looks for its link; PUT/DELETE confirm by reading.
  { name: "malformed JSON", fault: () => ({ kind: "malformed-json" }), expected: ALL_OK },
  { name: "valid JSON of the wrong shape", fault: () => ({ kind: "wrong-shape" }), expected: ALL_OK },
  // …but a list that keeps answering garbage is reported, with the excerpt, not read forever. (Every cell arms its
  // fault on the operation's own method; this one arms it on GET whatever the operation: writes need no read.)
  {
    name: "every GET malformed",
    onMethod: "GET",
    fault: () => ({ kind: "malformed-json", times: 50 }),
    expected: { create: "ok", read: /unexpected reply .*the body is not JSON.*please report this/, update: "ok", delete: "ok" },
  },
  { name: "401", fault: () => ({ status: 401 }), expected: everywhere(/401 Unauthorized .*check the apiKey option/) },
  { name: "403", fault: () => ({ status: 403 }), expected: everywhere(/403 Forbidden .*check the apiKey option and the account id/) },
  {
    name: "404",
    fault: () => ({ status: 404 }),
    expected: {
      create: /404 Not Found .*check the account id/,
      read: /404 Not Found .*check the account id/,
      update: /404 Not Found .*check the account id/,
      // A 404 to a DELETE would mean "already gone", but the link is still listed: not taken at its word.
      delete: /answered 404, yet account .* still lists the link: check the baseUrl option .*\(baseUrl: run `pulumi config set fansly:baseUrl/,
    },
  },
  { name: "422", fault: () => ({ status: 422 }), expected: everywhere(/422 .*fix the/) },
];

interface CellResult {
  fault: string;
  operation: Operation;
  outcome: string;
  asExpected: boolean;
  invariant: string;
}

let emulator: RunningEmulator;
let host: ProviderHost;
let engine: Engine;
const results: CellResult[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  host = await ProviderHost.start(preparedStackDir());
  await host.configure({
    "fansly:apiKey": KEY,
    "fansly:baseUrl": emulator.url,
    "fansly:accountId": ACCOUNT,
    "fansly:timeoutMs": String(TIMEOUT_MS),
    // Every cell stands for its own command; in this one long-lived host, a listing from the previous cell must
    // not answer the next cell's read.
    "fansly:listingReuseMs": "0",
  });
  engine = new Engine(host, await serializedProvider());
});

afterAll(async () => {
  await host.stop();
  await emulator.close();
  const width = Math.max(...FAULTS.map((f) => f.name.length));
  const rows = FAULTS.map((fault) => {
    const cells = OPERATIONS.map((operation) => {
      const cell = results.find((r) => r.fault === fault.name && r.operation === operation);
      return (cell === undefined ? "not run" : `${cell.asExpected && cell.invariant === "" ? "✓" : "✗"} ${cell.outcome}`).padEnd(14);
    });
    return `${fault.name.padEnd(width)} | ${cells.join(" | ")}`;
  });
  const header = `${"fault".padEnd(width)} | ${OPERATIONS.map((o) => o.padEnd(14)).join(" | ")}`;
  console.log(`Fault matrix (${results.length} cells):\n${header}\n${"-".repeat(header.length)}\n${rows.join("\n")}`);
});

function linksLabelled(label: string): string[] {
  return emulator.store.customLinks(ACCOUNT).filter((link) => link.label === label).map((link) => link.id);
}

/** Runs one operation with the fault armed; returns the outcome and the invariant violations ("" when none). */
async function runCell(operation: Operation, fault: FaultCase, cellName: string): Promise<{ outcome: string; error?: string; invariant: string }> {
  const label = `cell ${cellName}`;
  let existing: ResourceState | undefined;
  if (operation !== "create") existing = (await engine.up(cellName, { label })).state;
  emulator.clearRequests();
  emulator.addFault({ ...fault.fault(), method: fault.onMethod ?? METHOD_OF[operation], path: "/tracking-links" });

  let error: string | undefined;
  let reported: ResourceState | undefined;
  try {
    if (operation === "create") reported = (await engine.up(cellName, { label })).state;
    if (operation === "read" && existing !== undefined) reported = await engine.refresh(existing);
    if (operation === "update" && existing !== undefined) reported = (await engine.up(cellName, { label: `${label} renamed` }, existing)).state;
    if (operation === "delete" && existing !== undefined) await engine.destroy(existing);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  emulator.clearFaults();

  // What exists now, against what the provider reported (or, on failure, what the engine still holds).
  const problems: string[] = [];
  const held = operation === "update" ? [...linksLabelled(label), ...linksLabelled(`${label} renamed`)] : linksLabelled(label);
  if (held.length > 1) problems.push(`${held.length} links (duplicate)`);
  if (operation === "create") {
    if (error === undefined && (held.length !== 1 || held[0] !== reported?.id)) problems.push("reported link is not the one that exists");
    if (error !== undefined && held.length !== 0) problems.push("failed create left a link behind (orphan)");
  } else if (existing !== undefined) {
    const stateAfter = error === undefined ? reported : existing;
    if (operation === "delete") {
      if (error === undefined && held.length !== 0) problems.push("reported deleted, still exists");
      if (error !== undefined && held[0] !== existing.id) problems.push("failed delete lost the link");
    } else {
      const live = emulator.store.customLinks(ACCOUNT).find((link) => link.id === existing.id);
      if (live === undefined) problems.push("link lost");
      else if (stateAfter?.outputs.label !== live.label) problems.push(`state says "${String(stateAfter?.outputs.label)}", the link is "${live.label}"`);
    }
  }
  for (const id of emulator.store.customLinks(ACCOUNT).map((link) => link.id)) emulator.store.deleteLink(ACCOUNT, id);
  return { outcome: error === undefined ? "ok" : "error", ...(error === undefined ? {} : { error }), invariant: problems.join("; ") };
}

describe.each(FAULTS)("fault: $name", (fault) => {
  test.each(OPERATIONS)(`%s`, async (operation) => {
    const cellName = `${operation}-${fault.name.replace(/[^a-z0-9]+/gi, "-")}`;
    const { outcome, error, invariant } = await runCell(operation, fault, cellName);
    const expected = fault.expected[operation];
    const asExpected = expected === "ok" ? error === undefined : error !== undefined && expected.test(error);
    results.push({ fault: fault.name, operation, outcome: error === undefined ? "ok" : "named error", asExpected, invariant });
    expect({ outcome, invariant }).toEqual({ outcome: expected === "ok" ? "ok" : "error", invariant: "" });
    if (expected === "ok") expect(error).toBeUndefined();
    else expect(error).toMatch(expected);
    // The key is never part of what the host says.
    expect(error ?? "").not.toContain(KEY);
  });
});

test("the matrix has at least 60 cells", () => {
  expect(FAULTS.length * OPERATIONS.length).toBeGreaterThanOrEqual(60);
});

test("the host printed nothing that holds the key", () => {
  expect(host.output()).not.toContain(KEY);
});
