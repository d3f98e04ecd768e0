/**
 * End to end: examples/go-automation, a Go program on Pulumi's Automation API (an inline program: no language host),
 * built with the machine's Go from the Go module proxy, run by the real CLI against the emulator on the provider
 * plugin the package ships. A second language beside TypeScript and YAML; Python would need PyPI (not reachable here).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator } from "../../src/emulator";
import type { PulumiCli } from "./pulumiCli";
import { labelsIn, writesOf } from "./requestLog";
import { REPO, useE2eWorld } from "./world";

const KEY = "e2e-go-automation-key-2b8e11";
const ACCOUNT = "fansly_go";
const EXAMPLE = join(REPO, "examples", "go-automation");
const GO_BUILD_TIMEOUT_MS = 15 * 60_000;
const LINKS = `/api/fansly/${ACCOUNT}/tracking-links`;

let emulator: RunningEmulator;
let cli: PulumiCli;
let scratch: string;
let stackDir: string;
let program: string;

/** The Go toolchain build-pulumi.sh would use (it fails, naming what to install, when there is none). */
async function goBinary(): Promise<string> {
  const { stdout } = await promisify(execFile)("bash", [join(REPO, "src", "toolchain", "build-pulumi.sh"), "--check-go"]);
  const go = /\bat (\S+)\s*$/.exec(stdout.trim())?.[1];
  if (go === undefined) throw new Error(`build-pulumi.sh --check-go printed no Go binary: ${stdout}`);
  return go;
}

const world = useE2eWorld({
  name: "go",
  emulator: { apiKeys: [KEY], accounts: [ACCOUNT] },
  betweenTests: "clear requests",
  setupTimeoutMs: 25 * 60_000,
  before: async () => {
    ({ scratch } = world);
    program = join(scratch, "fansly-go");
    await promisify(execFile)(await goBinary(), ["build", "-o", program, "."], { cwd: EXAMPLE, timeout: GO_BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    stackDir = await world.project();
  },
  cli: () => ({
    env: {
      FANSLY_API_KEY: KEY,
      FANSLY_ACCOUNT_ID: ACCOUNT,
      FANSLY_API_BASE_URL: world.emulator.url,
      FANSLY_PLUGIN_DIR: join(stackDir, "node_modules", "pulumi-fansly", "dist", "plugin"),
    },
  }),
  setup: () => {
    ({ emulator, cli } = world);
  },
});

describe("examples/go-automation: a Go program through the Automation API", () => {
  test("1. up creates its two links", async () => {
    const up = await cli.exec(scratch, program, ["up"]);
    expect(writesOf(emulator)).toEqual([`POST ${LINKS}`, `POST ${LINKS}`]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual(["Reddit post #3", "Twitter bio"]);
    const bio = emulator.store.customLinks(ACCOUNT).find((link) => link.label === "Twitter bio");
    expect(up.stdout).toContain(`twitterBioId: ${String(bio?.id)}`);
  });

  test("2. the next preview expects no changes and sends no write", async () => {
    await cli.exec(scratch, program, ["preview"]);
    expect(writesOf(emulator)).toEqual([]);
  });

  test("3. destroy deletes both and removes the stack", async () => {
    await cli.exec(scratch, program, ["destroy"]);
    expect(writesOf(emulator)).toEqual([`DELETE ${LINKS}`, `DELETE ${LINKS}`]);
    expect(emulator.store.customLinks(ACCOUNT)).toEqual([]);
    expect(JSON.stringify(cli.runs)).not.toContain(KEY);
  });
});
