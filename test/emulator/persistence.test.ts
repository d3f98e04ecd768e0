import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStore } from "../../src/emulator";
import type { RunningEmulator } from "../../src/emulator";
import { ACCOUNT, call, createLink, LINKS_PATH, linksOf, startTestEmulator } from "./helpers";

let dir: string;
let dataFile: string;
const running: RunningEmulator[] = [];

async function start(options: Parameters<typeof startTestEmulator>[0] = {}): Promise<RunningEmulator> {
  const emulator = await startTestEmulator({ dataFile, ...options });
  running.push(emulator);
  return emulator;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fansly-emulator-data-"));
  dataFile = join(dir, "state.json");
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe("the data file", () => {
  test("a link survives a restart with the same data file, id and all", async () => {
    const first = await start();
    const link = await createLink(first, "durable", "kept on disk");
    await first.close();

    const second = await start();
    const links = linksOf(await call(second, "GET", LINKS_PATH));

    expect(links.find((l) => l.id === link.id)).toMatchObject({ label: "durable", description: "kept on disk" });
  });

  test("updates and deletes are on disk before their reply arrives", async () => {
    const emulator = await start();
    const kept = await createLink(emulator, "kept");
    const gone = await createLink(emulator, "gone");

    await call(emulator, "PUT", LINKS_PATH, { body: { id: kept.id, label: "renamed", description: "" } });
    await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: gone.id } });

    const onDisk = JSON.parse(readFileSync(dataFile, "utf8")) as { accounts: Record<string, { label: string }[]> };
    expect(onDisk.accounts[ACCOUNT]?.map((l) => l.label)).toEqual(["For You", "Search", "Suggestions", "renamed"]);
  });

  test("an id deleted before a restart is not given out after it", async () => {
    const first = await start();
    const deleted = await createLink(first, "short-lived");
    await call(first, "DELETE", LINKS_PATH, { body: { trackingLinkId: deleted.id } });
    await first.close();

    const second = await start();
    const next = await createLink(second, "after restart");

    expect(BigInt(next.id) > BigInt(deleted.id)).toBe(true);
  });

  test("writes replace the file atomically, leaving no temporary file behind", async () => {
    const emulator = await start();
    for (let i = 0; i < 5; i += 1) await createLink(emulator, `n${i}`);

    expect(readdirSync(dir)).toEqual(["state.json"]);
  });

  test("the file is written at start, so a bad path fails at once", async () => {
    await start();
    expect(existsSync(dataFile)).toBe(true);

    await expect(startTestEmulator({ dataFile: join(dir, "missing-dir", "state.json") })).rejects.toThrow(/cannot write the data file .*check its folder exists/);
  });

  test("a corrupt data file stops the start with a message naming the file and the fix", async () => {
    writeFileSync(dataFile, "{ not json");

    await expect(startTestEmulator({ dataFile })).rejects.toThrow(
      new RegExp(`${dataFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not readable JSON .*delete it to start fresh`),
    );
  });

  test("a data file with a bad field is refused, naming the field", async () => {
    writeFileSync(dataFile, JSON.stringify({ version: 1, nextId: "12x", nextInternalId: 1, accounts: {} }));

    await expect(startTestEmulator({ dataFile })).rejects.toThrow(/nextId/);
  });

  test("accounts named at start are added to a loaded file's accounts", async () => {
    const first = await start();
    await createLink(first, "mine");
    await first.close();

    const second = await start({ accounts: ["fansly_new"] });

    expect(second.store.accountIds()).toEqual([ACCOUNT, "fansly_new"]);
    expect(second.store.customLinks(ACCOUNT).map((l) => l.label)).toEqual(["mine"]);
  });

  test("code-side seeding is saved too", async () => {
    const store = createStore();
    const emulator = await start({ store });

    store.seedLinks(ACCOUNT, 3, "seeded-");

    const onDisk = readFileSync(dataFile, "utf8");
    expect(onDisk).toContain("seeded-3");
    expect(emulator.store).toBe(store);
  });
});
