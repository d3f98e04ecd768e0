/**
 * End to end: shell `pulumi` commands, as a user types them, against the emulator, on a local file backend.
 * Each step changes the program (links.json) or the remote side, then checks what reached the API (the emulator's
 * request log), what the emulator holds, and what Pulumi recorded.
 *
 * SDK: the repo's locked `@pulumi/pulumi`, or the one in PULUMI_FANSLY_E2E_SDK_NODE_MODULES (CI's second run: the
 * newest release, on Node 22). The CLI is built to match it (src/toolchain/build-pulumi.sh).
 */
import { cp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import type { ExportedResource, PulumiCli } from "./pulumiCli";
import { DYNAMIC_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import { callsOf, labelsIn, writesOf } from "./requestLog";
import { DYNAMIC_PROJECT, SDK_NODE_MODULES, useE2eWorld } from "./world";

const KEY = "e2e-canary-key-51c7d2a09b";
const ACCOUNT = "fansly_e2e";
const STACK = "dev";
const LINKS = `/api/fansly/${ACCOUNT}/tracking-links`;

type Declared = Record<string, { label: string; description?: string; trackingLinkId?: string }>;

let emulator: RunningEmulator;
let cli: PulumiCli;
let project: string;
let startedAt = Date.now();
let cliVersion = "";

async function declare(links: Declared): Promise<void> {
  await writeFile(join(project, "links.json"), JSON.stringify(links, null, 2));
}

async function exportedLinks(): Promise<{ text: string; links: ExportedResource[] }> {
  const { text, resources } = await cli.exportStack(project, STACK);
  return { text, links: resources.filter((r) => r.type === DYNAMIC_TRACKING_LINK_TYPE) };
}

function labels(): string[] {
  return labelsIn(emulator, ACCOUNT);
}

const world = useE2eWorld({
  name: "scenario",
  emulator: { apiKeys: [KEY], accounts: [ACCOUNT] },
  betweenTests: "clear requests",
  before: () => {
    startedAt = Date.now();
  },
  setup: async () => {
    ({ emulator, cli } = world);
    // The project folder: the package compiled into its node_modules, as `npm install pulumi-fansly` leaves it.
    project = await world.project({ template: DYNAMIC_PROJECT });
    cliVersion = (await cli.run(project, ["version"])).stdout.trim();
    await cli.initStack(project, STACK, { baseUrl: emulator.url, accountId: ACCOUNT, apiKey: KEY });
  },
  summary: async () => {
    const sdk = (JSON.parse(await readFile(join(SDK_NODE_MODULES, "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
    return (
      `e2e scenario: ${((Date.now() - startedAt) / 1000).toFixed(1)} s wall (CLI ready), ${cli.runs.length} pulumi commands, ` +
      `CLI ${cliVersion}, @pulumi/pulumi ${sdk}, Node ${process.version}`
    );
  },
});

const THREE: Declared = {
  bio: { label: "Twitter bio", description: "pinned profile link" },
  reddit: { label: "Reddit post #3" },
  story: { label: "Instagram story" },
};

describe("pulumi-fansly through the real Pulumi CLI", () => {
  test("1. pulumi up creates the three declared links", async () => {
    await declare(THREE);
    const up = await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(up.stdout.match(/fansly:TrackingLink \w+ created/g)).toHaveLength(3);
    expect(labels()).toEqual(["Instagram story", "Reddit post #3", "Twitter bio"]);
    expect(writesOf(emulator)).toEqual([`POST ${LINKS}`, `POST ${LINKS}`, `POST ${LINKS}`]);
  });

  test("2. a label change: preview --diff shows one in-place update; up sends exactly one PUT", async () => {
    await declare({ ...THREE, reddit: { label: "Reddit post #4" } });
    const preview = await cli.run(project, ["preview", "--diff", "--stack", STACK]);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    expect(preview.stdout).toMatch(/~ label\s*: "Reddit post #3" => "Reddit post #4"/);
    expect(writesOf(emulator)).toEqual([]);

    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`PUT ${LINKS}`]);
    expect(emulator.requests().find((r) => r.method === "PUT")?.body).toMatchObject({ label: "Reddit post #4", description: "" });
    expect(labels()).toEqual(["Instagram story", "Reddit post #4", "Twitter bio"]);
  });

  test("3. a label changed behind Pulumi's back: refresh brings it into state; the next up puts it back", async () => {
    const story = emulator.store.customLinks(ACCOUNT).find((link) => link.label === "Instagram story");
    if (story === undefined) throw new Error("the story link is missing");
    emulator.store.updateLink(ACCOUNT, story.id, { label: "Edited in the dashboard", description: "" });

    await cli.run(project, ["refresh", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([]);
    const refreshed = (await exportedLinks()).links.find((r) => r.id === story.id);
    expect(refreshed?.outputs?.label).toBe("Edited in the dashboard");

    emulator.clearRequests();
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`PUT ${LINKS}`]);
    expect(labels()).toEqual(["Instagram story", "Reddit post #4", "Twitter bio"]);
  });

  test("4. a link made outside Pulumi is adopted by trackingLinkId: no POST, and then no changes", async () => {
    const outside = emulator.store.createLink(ACCOUNT, { label: "Made by hand", description: "old campaign" });
    emulator.clearRequests();
    await declare({ ...THREE, reddit: { label: "Reddit post #4" }, hand: { label: "Made by hand", description: "old campaign", trackingLinkId: outside.id } });
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(callsOf(emulator)).not.toContain(`POST ${LINKS}`);
    expect(writesOf(emulator)).toEqual([]);
    expect((await exportedLinks()).links.find((r) => r.id === outside.id)?.outputs).toMatchObject({ adopted: true, label: "Made by hand" });

    emulator.clearRequests();
    await cli.run(project, ["preview", "--expect-no-changes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([]);
  });

  test("5. a link removed from the program: up sends one DELETE with its trackingLinkId", async () => {
    const bio = emulator.store.customLinks(ACCOUNT).find((link) => link.label === "Twitter bio");
    const { bio: _removed, ...rest } = JSON.parse(await readFile(join(project, "links.json"), "utf8")) as Declared;
    await declare(rest);
    await cli.run(project, ["up", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`DELETE ${LINKS}`]);
    expect(emulator.requests().find((r) => r.method === "DELETE")?.body).toEqual({ trackingLinkId: bio?.id });
    expect(labels()).toEqual(["Instagram story", "Made by hand", "Reddit post #4"]);
  });

  // Step 7 runs before 6: after destroy the state no longer holds the stack config to scan.
  test("7. the state holds no API key in plain text, and no CLI output shows it", async () => {
    const { text } = await exportedLinks();
    expect(text).not.toContain(KEY);
    // The engine keeps the stack config in state; set with --secret, the key is there only as ciphertext.
    expect(text).toContain("ciphertext");
    for (const run of cli.runs) {
      expect(run.stdout).not.toContain(KEY);
      expect(run.stderr).not.toContain(KEY);
    }
  });

  test("6. the project moved to another folder (the first copy removed): destroy there deletes every link", async () => {
    const moved = await world.tempDir("moved");
    await cp(project, moved, { recursive: true, verbatimSymlinks: true });
    await rm(project, { recursive: true, force: true });
    project = moved;
    await cli.run(project, ["destroy", "--yes", "--stack", STACK]);
    expect(writesOf(emulator)).toEqual([`DELETE ${LINKS}`, `DELETE ${LINKS}`, `DELETE ${LINKS}`]);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
    expect((await exportedLinks()).links).toEqual([]);
  });
});
