/**
 * Secret hygiene: one canary API key through every path a key travels — stack config, the real provider host, the
 * client's retries and errors (a rejected key too), the emulator's request log, admin endpoints and data file — and
 * a scan of everything captured for it. The key may appear only where it must: the x-api-key header on the wire.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FanslyClient, FanslyConfigError, type FanslyLogEvent } from "../../src/client";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { preparedStackDir } from "../host/stack";
import { Engine, ProviderHost, serializedProvider, type ResourceState } from "../host/providerHost";

const CANARY = "canary-7Q9x-2026-11-24-do-not-leak";
const ACCOUNT = "fansly_canary";

let emulator: RunningEmulator;
let host: ProviderHost;
let scratch: string;
const captured: { where: string; text: string }[] = [];
const capture = (where: string, value: unknown): void => {
  captured.push({ where, text: typeof value === "string" ? value : JSON.stringify(value) });
};

/** What `make` throws; a client it makes instead is closed, and the test's assertions on the error then fail. */
function thrownBy(make: () => FanslyClient): unknown {
  try {
    make().close().catch(() => undefined);
    return undefined;
  } catch (error) {
    return error;
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-canary-"));
  emulator = await startEmulator({ apiKeys: [CANARY], accounts: [ACCOUNT], dataFile: join(scratch, "emulator.json") });
  host = await ProviderHost.start(preparedStackDir(), { FANSLY_API_KEY: CANARY });
});

afterAll(async () => {
  await host.stop();
  await emulator.close();
  await rm(scratch, { recursive: true, force: true });
});

test("the canary key is never found in state, provider text, host output, errors, logs or the emulator's records", async () => {
  const providerText = await serializedProvider();
  capture("serialized provider", providerText);

  // Through the host: the key comes from the environment here, as in a pipeline (FANSLY_API_KEY).
  // Each step stands for its own command: the refresh must list (and meet the 401), not reuse the last listing.
  await host.configure({ "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT, "fansly:listingReuseMs": "0" });
  const engine = new Engine(host, providerText);
  const states: ResourceState[] = [];
  const created = await engine.up("canary-a", { label: "Canary A", description: "watch the key" });
  states.push(created.state);
  emulator.addFault({ method: "PUT", kind: "truncate-body" });
  states.push((await engine.up("canary-a", { label: "Canary A2" }, created.state)).state);
  emulator.addFault({ method: "POST", kind: "apply-then-drop" });
  states.push((await engine.up("canary-b", { label: "Canary B" })).state);
  emulator.addFault({ method: "GET", status: 401 });
  await engine.refresh(created.state).catch((error: unknown) => { capture("refresh error (401)", String(error)); });
  const refreshed = await engine.refresh(states[1] ?? created.state);
  if (refreshed !== undefined) states.push(refreshed);
  for (const state of states.slice(1, 3)) await engine.destroy(state);
  capture("engine state (inputs, outputs, __provider)", states);

  // The client directly: a logger sees every retry and response; a wrong key and a bad option fail.
  const events: FanslyLogEvent[] = [];
  const client = new FanslyClient({ apiKey: CANARY, baseUrl: emulator.url, retryBaseDelayMs: 1, logger: (event) => events.push(event) });
  emulator.addFault({ method: "GET", status: 503, times: 2 });
  await client.trackingLinks.list(ACCOUNT);
  capture("client: inspect", (await import("node:util")).inspect(client, { depth: 5, showHidden: true }));
  capture("client: JSON", JSON.stringify(client));
  await client.close();
  capture("client log events", events);
  const wrongKey = new FanslyClient({ apiKey: `${CANARY}-wrong`, baseUrl: emulator.url });
  await wrongKey.trackingLinks.list(ACCOUNT).catch((error: unknown) => {
    capture("wrong-key error", `${String(error)} ${JSON.stringify(error)}`);
  });
  await wrongKey.close();
  // A key with a trailing space is refused by the constructor, naming the option and never the key.
  const optionError = thrownBy(() => new FanslyClient({ apiKey: `${CANARY} `, baseUrl: emulator.url }));
  expect(optionError).toBeInstanceOf(FanslyConfigError);
  expect(String(optionError)).toContain("apiKey");
  capture("option error", `${String(optionError)} ${JSON.stringify(optionError)}`);

  // The emulator's own records, and what its admin endpoints serve.
  capture("emulator request log", emulator.requests());
  for (const path of ["/__emulator/requests", "/__emulator/state"]) {
    const response = await fetch(`${emulator.url}${path}`);
    capture(`emulator ${path}`, await response.text());
  }
  capture("emulator data file", await readFile(join(scratch, "emulator.json"), "utf8"));
  capture("host stdout and stderr", host.output());

  // Every path was taken: a step that stopped failing (a refresh that met no 401, a constructor that stopped
  // refusing a bad key) would leave its capture out, and the scan would pass on less than it claims.
  expect(captured.map(({ where }) => where)).toEqual([
    "serialized provider",
    "refresh error (401)",
    "engine state (inputs, outputs, __provider)",
    "client: inspect",
    "client: JSON",
    "client log events",
    "wrong-key error",
    "option error",
    "emulator request log",
    "emulator /__emulator/requests",
    "emulator /__emulator/state",
    "emulator data file",
    "host stdout and stderr",
  ]);
  // A scan that found nothing because it saw nothing would prove nothing: each capture holds real content.
  for (const { where, text } of captured) expect({ where, empty: text.length === 0 }).toEqual({ where, empty: false });
  const leaks = captured.filter(({ text }) => text.includes(CANARY)).map(({ where }) => where);
  expect(leaks).toEqual([]);
}, 60_000);
