import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import type { RunningEmulator } from "../../src/emulator";
import { call, KEY, LINKS_PATH, startTestEmulator } from "./helpers";

let emulator: RunningEmulator;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "fansly-emulator-log-"));
});

afterEach(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the request log", () => {
  test("records method, path, query, body, status and account in arrival order", async () => {
    emulator = await startTestEmulator();

    await call(emulator, "GET", `${LINKS_PATH}?offset=0`);
    await call(emulator, "POST", LINKS_PATH, { body: { label: "logged" } });

    expect(emulator.requests()).toEqual([
      expect.objectContaining({ seq: 1, method: "GET", path: LINKS_PATH, query: { offset: "0" }, status: 200 }),
      expect.objectContaining({
        seq: 2,
        method: "POST",
        body: { label: "logged" },
        status: 200,
        accountId: "fansly_demo",
        apiKey: "accepted",
        at: expect.stringMatching(/Z$/) as unknown,
      }),
    ]);
  });

  test("records whether a key was presented, never the key", async () => {
    emulator = await startTestEmulator();

    await call(emulator, "GET", LINKS_PATH, { key: null });
    await call(emulator, "GET", LINKS_PATH, { key: "wrong-key" });

    expect(emulator.requests().map((r) => [r.status, r.apiKey])).toEqual([
      [401, "missing"],
      [401, "rejected"],
    ]);
  });

  test("records which of its keys an accepted request carried, by place: several keys can be told apart", async () => {
    emulator = await startTestEmulator({ apiKeys: [KEY, "second-agency-key"] });

    await call(emulator, "GET", LINKS_PATH, { key: "second-agency-key" });
    await call(emulator, "GET", LINKS_PATH);
    await call(emulator, "GET", LINKS_PATH, { key: "wrong-key" });

    expect(emulator.requests().map((r) => [r.apiKey, r.apiKeyIndex])).toEqual([
      ["accepted", 1],
      ["accepted", 0],
      ["rejected", undefined],
    ]);
    expect(JSON.stringify(emulator.requests())).not.toContain("second-agency-key");
  });

  test("the request log never contains the key", async () => {
    const dataFile = join(dir, "state.json");
    emulator = await startTestEmulator({ dataFile });

    await call(emulator, "GET", LINKS_PATH);
    await call(emulator, "POST", LINKS_PATH, { body: { label: "bio" } });
    emulator.addFault({ kind: "apply-then-drop" });
    await call(emulator, "GET", LINKS_PATH).catch(() => undefined);
    expect(readFileSync(dataFile, "utf8")).not.toContain(KEY);
    // A confused client might put the key in the query or a body field; the log must not keep it there either.
    // (The link it creates does hold it: that is the user's data, which the emulator stores as given.)
    await call(emulator, "GET", `${LINKS_PATH}?api_key=${KEY}`);
    await call(emulator, "POST", LINKS_PATH, { body: { label: "oops", description: `key=${KEY}` } });

    const viaAdmin = await (await request(`${emulator.url}/__emulator/requests`)).body.text();
    expect(emulator.requests()).toHaveLength(5);
    expect(JSON.stringify(emulator.requests())).not.toContain(KEY);
    expect(viaAdmin).not.toContain(KEY);
    expect(viaAdmin).toContain("[redacted]");
  });

  test("clearRequests empties the log", async () => {
    emulator = await startTestEmulator();
    await call(emulator, "GET", LINKS_PATH);

    emulator.clearRequests();

    expect(emulator.requests()).toEqual([]);
  });

  test("a faulted request is recorded with its fault and the status it got", async () => {
    emulator = await startTestEmulator({ faults: [{ status: 429, retryAfter: 1 }] });

    await call(emulator, "GET", LINKS_PATH);

    expect(emulator.requests()[0]).toMatchObject({ status: 429, fault: "status" });
  });

  test("a body that is not JSON is recorded as its text", async () => {
    emulator = await startTestEmulator();

    await call(emulator, "POST", LINKS_PATH, { rawBody: "label=x" });

    expect(emulator.requests()[0]).toMatchObject({ body: "label=x", status: 400 });
  });
});
