import { Agent } from "undici";
import type { RunningEmulator } from "../../src/emulator";
import { call, LINKS_PATH, responseOf, startTestEmulator } from "./helpers";

let emulator: RunningEmulator;
let agent: Agent;

beforeEach(async () => {
  emulator = await startTestEmulator();
  agent = new Agent({ connections: 1 });
});

afterEach(async () => {
  await agent.close();
  await emulator.close();
});

describe("keep-alive", () => {
  test("keep-alive: ten requests on one connection, DELETE-with-body included", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const created = await call(emulator, "POST", LINKS_PATH, { body: { label: `k${i}` }, dispatcher: agent });
      const { id } = responseOf(created) as { id: string };
      const updated = await call(emulator, "PUT", LINKS_PATH, {
        body: { id, label: `k${i}!`, description: "" },
        dispatcher: agent,
      });
      const deleted = await call(emulator, "DELETE", LINKS_PATH, { body: { trackingLinkId: id }, dispatcher: agent });
      statuses.push(created.status, updated.status, deleted.status);
    }
    statuses.push((await call(emulator, "GET", LINKS_PATH, { dispatcher: agent })).status);

    expect(statuses).toEqual(Array.from({ length: 10 }, () => 200));
    expect(emulator.connectionsOpened()).toBe(1);
  });

  test("errors keep the connection too: a 400 and a 404 do not close it", async () => {
    await call(emulator, "POST", LINKS_PATH, { body: {}, dispatcher: agent });
    await call(emulator, "GET", "/nowhere", { dispatcher: agent });
    await call(emulator, "GET", LINKS_PATH, { dispatcher: agent });

    expect(emulator.connectionsOpened()).toBe(1);
  });

  test("a dropped reply costs the connection: the next request opens a new one", async () => {
    emulator.addFault({ kind: "drop" });

    await call(emulator, "GET", LINKS_PATH, { dispatcher: agent }).catch(() => undefined);
    await call(emulator, "GET", LINKS_PATH, { dispatcher: agent });

    expect(emulator.connectionsOpened()).toBe(2);
  });
});
