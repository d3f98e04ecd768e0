/**
 * The claims one engine run's provider processes share (src/provider/runClaims.ts): a stack of both faces has a
 * dynamic-provider process and the plugin's, and neither may delete a link the other's resource holds.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { TrackingLinkImplementation, type TrackingLinkOutputs } from "../../src/provider";
import { claimsOfEngineRun, FolderClaims } from "../../src/provider/runClaims";

const KEY = "run-claims-test-key-1234";
const ACCOUNT = "fansly_demo";
let scratch: string;

beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-run-claims-"));
});

afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("two provider processes of one run (a stack of both faces)", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  });

  afterEach(async () => {
    await emulator.close();
  });

  async function providerOn(folder: string): Promise<TrackingLinkImplementation> {
    const provider = new TrackingLinkImplementation(undefined, {}, new FolderClaims(folder));
    await provider.configure({ config: { get: (key) => ({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT })[key] } });
    return provider;
  }

  test("a dynamic resource removed while a plugin resource holds its link: no DELETE, the link stays; once released, a delete deletes", async () => {
    const link = emulator.store.createLink(ACCOUNT, { label: "Reddit", description: "" });
    const dynamicState: TrackingLinkOutputs = { trackingLinkId: link.id, accountId: ACCOUNT, label: "Reddit", description: "", adopted: false, ownerToken: "dynamic-owner" };
    const pluginState: TrackingLinkOutputs = { trackingLinkId: link.id, accountId: ACCOUNT, label: "Reddit", description: "", adopted: true };
    const plugin = await providerOn(scratch);
    const dynamic = await providerOn(scratch);
    const urn = "urn:pulumi:dev::both::fansly:index:TrackingLink::reddit";
    await plugin.diff(link.id, pluginState, { label: "Reddit", description: "", accountId: ACCOUNT, trackingLinkId: link.id }, urn);
    emulator.clearRequests();
    await dynamic.delete(link.id, dynamicState);
    expect(emulator.requests()).toEqual([]);
    expect(emulator.store.customLinks(ACCOUNT).map((l) => l.id)).toEqual([link.id]);
    // The plugin resource removed too (a later step of the same run): nothing holds the link any more.
    await plugin.delete(link.id, pluginState, urn);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
    await Promise.all([plugin.close(), dynamic.close()]);
  });
});

describe("two resources of the two faces holding one link in state", () => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  });

  afterEach(async () => {
    await emulator.close();
  });

  test("whichever process claims second refuses, naming the URN and the dynamic face's resource, before any request", async () => {
    const providers = await Promise.all([0, 1, 2, 3].map(async () => {
      const provider = new TrackingLinkImplementation(undefined, {}, new FolderClaims(scratch));
      await provider.configure({ config: { get: (key) => ({ "fansly:apiKey": KEY, "fansly:baseUrl": emulator.url, "fansly:accountId": ACCOUNT })[key] } });
      return provider;
    }));
    const [pluginFirst, dynamicSecond, dynamicFirst, pluginSecond] = providers as [TrackingLinkImplementation, TrackingLinkImplementation, TrackingLinkImplementation, TrackingLinkImplementation];
    const urn = "urn:pulumi:dev::both::fansly:index:TrackingLink::taken";
    const held = (label: string): { state: TrackingLinkOutputs; news: { label: string; description: string; accountId: string } } => {
      const link = emulator.store.createLink(ACCOUNT, { label, description: "" });
      return { state: { trackingLinkId: link.id, accountId: ACCOUNT, label, description: "", adopted: false, ownerToken: `token-${label}` }, news: { label, description: "", accountId: ACCOUNT } };
    };
    emulator.clearRequests();
    const one = held("one");
    await pluginFirst.diff(one.state.trackingLinkId, { ...one.state, ownerToken: undefined }, one.news, urn);
    await expect(dynamicSecond.diff(one.state.trackingLinkId, one.state, one.news)).rejects.toThrow(
      `trackingLinkId ${one.state.trackingLinkId} is declared by both ${urn} and a TrackingLink of the dynamic face (pulumi-fansly)`,
    );
    const two = held("two");
    await dynamicFirst.diff(two.state.trackingLinkId, two.state, two.news);
    await expect(pluginSecond.diff(two.state.trackingLinkId, { ...two.state, ownerToken: undefined }, two.news, `${urn}-2`)).rejects.toThrow(
      `trackingLinkId ${two.state.trackingLinkId} is declared by both a TrackingLink of the dynamic face (pulumi-fansly) and ${urn}-2`,
    );
    expect(emulator.requests()).toEqual([]);
    await Promise.all(providers.map((provider) => provider.close()));
  });
});

describe("finding the run", () => {
  /** A fake /proc: this process's parent (a shell) under `pulumi`, each with a start time. */
  async function fakeProc(engine: { pid: number; name: string; start: string }): Promise<string> {
    const proc = join(scratch, "proc");
    const stat = async (pid: number, name: string, parent: number, start: string): Promise<void> => {
      await mkdir(join(proc, String(pid)), { recursive: true });
      const fields = ["S", String(parent), ...Array<string>(17).fill("0"), start, "0"];
      await writeFile(join(proc, String(pid), "stat"), `${pid} (${name}) ${fields.join(" ")}\n`);
    };
    await stat(process.ppid, "sh", engine.pid, "500");
    await stat(engine.pid, engine.name, 1, engine.start);
    return proc;
  }

  test("named by the pulumi ancestor's pid and start time and the engine's port; folders of ended runs are removed", async () => {
    const proc = await fakeProc({ pid: 4242, name: "pulumi", start: "98765" });
    const runs = join(scratch, "runs");
    await mkdir(join(runs, "4242-11111-40000", "845759434926862336"), { recursive: true });
    const claims = claimsOfEngineRun(["node", "pulumi-resource-fansly", "127.0.0.1:38819"], proc, runs);
    expect(claims?.folder).toBe(join(runs, "4242-98765-38819"));
    expect(await readdir(runs)).toEqual(["4242-98765-38819"]);
  });

  test("no engine address, or no pulumi process above: no shared claims", async () => {
    const proc = await fakeProc({ pid: 4243, name: "bash", start: "1" });
    expect(claimsOfEngineRun(["node", "pulumi-resource-fansly", "127.0.0.1:38819"], proc, join(scratch, "runs"))).toBeUndefined();
    expect(claimsOfEngineRun(["node", "jest", "--runInBand"], proc, join(scratch, "runs"))).toBeUndefined();
  });
});
