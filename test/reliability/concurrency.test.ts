/**
 * 200 links created, then updated, deleted and created side by side, then destroyed — all concurrently through one
 * provider host — while 5% of API requests fail at random (seeded): the emulator must end each phase holding exactly
 * the intended links, each once.
 */
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { preparedStackDir } from "../host/stack";
import { Engine, ProviderHost, serializedProvider, type ResourceState } from "../host/providerHost";

const KEY = "concurrency-canary-key-0c4f";
const ACCOUNT = "fansly_soak";
const LINKS = 200;
const FAULT_RATE = 0.05;
const SEED = 20261124;

let emulator: RunningEmulator;
let host: ProviderHost;
let engine: Engine;

beforeAll(async () => {
  emulator = await startEmulator({
    apiKeys: [KEY],
    accounts: [ACCOUNT],
    latencyMs: 5,
    chaos: {
      rate: FAULT_RATE,
      seed: SEED,
      // Faults a healthy API shows now and then; 500 and 4xx are real errors and belong to the fault matrix.
      faults: [
        { status: 503 },
        { status: 502 },
        { status: 504 },
        { status: 429, retryAfter: 1 },
        { kind: "drop" },
        { kind: "apply-then-drop" },
        { kind: "truncate-body" },
        { kind: "malformed-json" },
      ],
    },
  });
  host = await ProviderHost.start(preparedStackDir());
  // The client paces itself to 600 requests a minute by default; this run is about faults, not pacing.
  await host.configure({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT, "fansly:maxRequestsPerMinute": "100000" });
  engine = new Engine(host, await serializedProvider());
});

afterAll(async () => {
  await host.stop();
  await emulator.close();
});

function heldLabels(): string[] {
  return emulator.store.customLinks(ACCOUNT).map((link) => link.label).sort();
}

const labelOf = (i: number, version = 1): string => `soak link ${String(i).padStart(3, "0")}${version > 1 ? ` v${version}` : ""}`;

test(`${LINKS} links through one host with ${FAULT_RATE * 100}% of requests failing: exact at every phase`, async () => {
  const started = Date.now();
  const states = new Map<number, ResourceState>();

  // Phase 1: create all at once.
  const created = await Promise.all(Array.from({ length: LINKS }, (_, i) => engine.up(`soak-${i}`, { label: labelOf(i) })));
  created.forEach(({ state }, i) => states.set(i, state));
  expect(heldLabels()).toEqual(Array.from({ length: LINKS }, (_, i) => labelOf(i)).sort());
  expect(new Set(created.map(({ state }) => state.id)).size).toBe(LINKS);

  // Phase 2, all at once: rename the first half, delete a quarter, create 50 more.
  const work: Promise<unknown>[] = [];
  for (let i = 0; i < LINKS / 2; i++) {
    const state = states.get(i);
    if (state === undefined) throw new Error(`no state for ${i}`);
    work.push(engine.up(`soak-${i}`, { label: labelOf(i, 2) }, state).then(({ state: updated }) => states.set(i, updated)));
  }
  for (let i = LINKS / 2; i < (LINKS * 3) / 4; i++) {
    const state = states.get(i);
    if (state === undefined) throw new Error(`no state for ${i}`);
    work.push(engine.destroy(state).then(() => states.delete(i)));
  }
  for (let i = LINKS; i < LINKS + 50; i++) {
    work.push(engine.up(`soak-${i}`, { label: labelOf(i) }).then(({ state }) => states.set(i, state)));
  }
  await Promise.all(work);
  const intended = [...states.keys()].map((i) => (i < LINKS / 2 ? labelOf(i, 2) : labelOf(i))).sort();
  expect(heldLabels()).toEqual(intended);
  // What the engine holds is what exists: ids and labels, one for one.
  const live = new Map(emulator.store.customLinks(ACCOUNT).map((link) => [link.id, link.label]));
  for (const state of states.values()) expect(live.get(state.id)).toBe(state.outputs.label);

  // Phase 3: destroy everything at once.
  await Promise.all([...states.values()].map((state) => engine.destroy(state)));
  expect(heldLabels()).toEqual([]);

  const requests = emulator.requests();
  const hit = requests.filter((request) => request.fault !== undefined).length;
  console.log(
    `soak: ${requests.length} API requests, ${hit} hit by a random fault (${((hit / requests.length) * 100).toFixed(1)}%), ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  // The faults really happened: the run would prove nothing without them.
  expect(hit).toBeGreaterThan(requests.length * FAULT_RATE * 0.5);
  expect(host.output()).not.toContain(KEY);
}, 120_000);
