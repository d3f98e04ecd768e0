import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeOnSignals, runCli } from "../../src/emulator/cli";
import type { CliIo, CliResult } from "../../src/emulator/cli";
import type { RunningEmulator } from "../../src/emulator";
import { call, createLink, KEY, LINKS_PATH, linksOf } from "./helpers";

interface Captured {
  io: CliIo;
  out: string[];
  err: string[];
}

function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line) => out.push(line), err: (line) => err.push(line) }, out, err };
}

const started: RunningEmulator[] = [];

function running(result: CliResult): RunningEmulator {
  if (result.status !== "running") throw new Error(`expected the emulator to run, got exit ${result.code}`);
  started.push(result.emulator);
  return result.emulator;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

describe("fansly-emulator (runCli)", () => {
  test("prints the URL it listens on, the accounts, and that a key is set, never the key", async () => {
    const { io, out, err } = capture();

    const argv = ["--port", "0", "--api-key", KEY, "--account", "fansly_a", "--account", "fansly_b"];

    const emulator = running(await runCli(argv, io));

    expect(out[0]).toBe(`fansly emulator listening on ${emulator.url} (accounts: fansly_a, fansly_b; key: set)`);
    expect(out[1]).toMatch(/__emulator\/state.*__emulator\/faults/);
    expect(out.join("\n")).not.toContain(KEY);
    expect(err).toEqual([]);
    expect((await call(emulator, "GET", "/api/fansly/fansly_b/tracking-links")).status).toBe(200);
  });

  test("passes --latency-ms and --page-size through", async () => {
    const { io } = capture();
    const emulator = running(
      await runCli(["--port", "0", "--api-key", KEY, "--page-size", "2", "--latency-ms", "100"], io),
    );

    const began = performance.now();
    const reply = await call(emulator, "GET", LINKS_PATH);

    expect(performance.now() - began).toBeGreaterThanOrEqual(90);
    expect((reply.json as { data: { data: { response: { limit: number } } } }).data.data.response.limit).toBe(2);
  });

  test("a link survives a restart with --data", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fansly-emulator-cli-"));
    const dataFile = join(dir, "state.json");
    try {
      const argv = ["--port", "0", "--api-key", KEY, "--data", dataFile];
      const first = running(await runCli(argv, capture().io));
      const link = await createLink(first, "from the first run");
      await first.close();

      const second = running(await runCli(argv, capture().io));

      expect(linksOf(await call(second, "GET", LINKS_PATH)).map((l) => l.id)).toContain(link.id);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    [["--prot", "8787"], /Unknown option '--prot'/],
    [["--port"], /--port/],
    [["--port", "eighty"], /--port must be a whole number of at least 0, e.g. --port 8787/],
    [["--port", "70000"], /--port must be at most 65535/],
    [["--latency-ms", "soon"], /--latency-ms must be a whole number/],
    [["--page-size", "0"], /--page-size must be a whole number of at least 1/],
    [["--api-key", ""], /--api-key must not be empty/],
    [["8787"], /Unexpected argument .8787.: every setting is a flag, e.g. --port 8787/],
    [["--acount", "fansly_demo"], /Unknown option '--acount'; did you mean --account\?/],
    [["--latency-ms", "-5"], /--latency-ms must be a whole number of at least 0, e.g. --latency-ms 250/],
    [["--account", "bad id!"], /--account must be apifansly's account id \(letters, digits, _ or -, like fansly_…\)/],
  ])("bad flags %j exit 2 with a message naming the flag", async (argv, message) => {
    const { io, err, out } = capture();

    const result = await runCli(argv, io);

    expect(result).toEqual({ status: "exited", code: 2 });
    expect(err.join("\n")).toMatch(message);
    expect(out).toEqual([]);
  });

  test("--help prints the flags and exits 0", async () => {
    const { io, out } = capture();

    expect(await runCli(["--help"], io)).toEqual({ status: "exited", code: 0 });
    expect(out.join("\n")).toMatch(/--api-key KEY/);
  });

  test("a port in use exits 1 and says how to fix it", async () => {
    const first = running(await runCli(["--port", "0", "--api-key", KEY], capture().io));
    const { io, err } = capture();

    const result = await runCli(["--port", String(first.port), "--api-key", KEY], io);

    expect(result).toEqual({ status: "exited", code: 1 });
    expect(err.join("\n")).toMatch(`port ${first.port} is already in use`);
  });

  test("SIGTERM closes the emulator cleanly", async () => {
    const emulator = running(await runCli(["--port", "0", "--api-key", KEY], capture().io));
    const signals = new EventEmitter();
    const { io, out } = capture();
    const stopped = new Promise<void>((resolve) => {
      io.out = (line) => {
        out.push(line);
        resolve();
      };
    });
    closeOnSignals(emulator, signals, io);

    signals.emit("SIGTERM");
    await stopped;

    expect(out).toEqual(["fansly emulator stopped"]);
    await expect(call(emulator, "GET", LINKS_PATH)).rejects.toThrow(/ECONNREFUSED/);
    expect(signals.listenerCount("SIGINT")).toBe(0);
  });
});
