import { request } from "undici";
import type { RunningEmulator } from "../../src/emulator";
import { ACCOUNT, call, createLink, LINKS_PATH, startTestEmulator } from "./helpers";

let emulator: RunningEmulator;

beforeEach(async () => {
  emulator = await startTestEmulator();
});

afterEach(async () => {
  await emulator.close();
});

/** Admin calls carry no key: controls are not part of the API. */
async function admin(method: "GET" | "POST" | "DELETE" | "PUT", path: string, body?: string) {
  const response = await request(`${emulator.url}/__emulator${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { "content-type": "application/json" } }),
  });
  return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
}

describe("GET /__emulator/state", () => {
  test("shows every account's links, with no key needed", async () => {
    const link = await createLink(emulator, "visible");

    const { status, json } = await admin("GET", "/state");

    expect(status).toBe(200);
    const links = (json.accounts as Record<string, { id: string; label: string }[]>)[ACCOUNT];
    expect(links?.map((l) => l.label)).toEqual(["For You", "Search", "Suggestions", "visible"]);
    expect(links?.[3]?.id).toBe(link.id);
  });
});

describe("/__emulator/faults", () => {
  test("POST adds a fault that the next matching API call meets", async () => {
    const added = await admin("POST", "/faults", JSON.stringify({ method: "GET", status: 503, times: 1 }));

    expect(added.status).toBe(201);
    expect(added.json.faults).toEqual([{ method: "GET", status: 503, times: 1, remaining: 1 }]);
    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(503);
    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(200);
  });

  test("POST rejects a bad status with a message that says what to send", async () => {
    const { status, json } = await admin("POST", "/faults", JSON.stringify({ status: "503" }));

    expect(status).toBe(400);
    expect(json).toEqual({
      error: 'fault.status must be a number between 200 and 599; example: {"status":503,"times":2}',
    });
    expect((await admin("GET", "/faults")).json.faults).toEqual([]);
  });

  test("POST names an unknown field and lists the known ones", async () => {
    const { status, json } = await admin("POST", "/faults", JSON.stringify({ status: 500, time: 3 }));

    expect(status).toBe(400);
    expect(json.error).toMatch(/^fault has unknown field\(s\) time; known fields: method, path, kind, status/);
  });

  test("POST rejects an unknown kind, listing the kinds", async () => {
    const { json } = await admin("POST", "/faults", JSON.stringify({ kind: "explode" }));

    expect(json.error).toMatch(/^fault\.kind must be one of status, drop, apply-then-drop/);
  });

  test("POST of a status fault without a status says the status is required", async () => {
    const { json } = await admin("POST", "/faults", JSON.stringify({ times: 2 }));

    expect(json.error).toMatch(/^fault\.status is required when kind is "status"/);
  });

  test("POST of a body that is not JSON shows an example", async () => {
    const { status, json } = await admin("POST", "/faults", "status=503");

    expect(status).toBe(400);
    expect(json.error).toBe('send one fault as a JSON object; example: {"status":503,"times":2}');
  });

  test("GET lists queued faults with their remaining uses; DELETE empties the queue", async () => {
    emulator.addFault({ kind: "drop", times: 3 });

    expect((await admin("GET", "/faults")).json.faults).toEqual([{ kind: "drop", times: 3, remaining: 3 }]);
    expect((await admin("DELETE", "/faults")).json).toEqual({ cleared: 1 });
    expect((await call(emulator, "GET", LINKS_PATH)).status).toBe(200);
  });
});

describe("/__emulator/requests", () => {
  test("GET shows the API requests, not the admin ones; DELETE clears them", async () => {
    await call(emulator, "GET", LINKS_PATH);
    await admin("GET", "/state");

    const shown = (await admin("GET", "/requests")).json.requests as { path: string }[];
    expect(shown.map((r) => r.path)).toEqual([LINKS_PATH]);

    expect((await admin("DELETE", "/requests")).json).toEqual({ cleared: 1 });
    expect(emulator.requests()).toEqual([]);
  });
});

describe("no backdoor", () => {
  test("there is no admin route that writes links; the 404 lists what exists", async () => {
    const before = emulator.store.toJSON();

    const attempts = [
      await admin("POST", "/state", JSON.stringify({ accounts: {} })),
      await admin("PUT", "/state", JSON.stringify({ accounts: {} })),
      await admin("DELETE", "/state"),
    ];

    for (const attempt of attempts) {
      expect(attempt.status).toBe(404);
      expect(attempt.json.error).toMatch(/available: GET \/__emulator\/state, GET \/__emulator\/requests/);
    }
    expect(emulator.store.toJSON()).toEqual(before);
  });
});
