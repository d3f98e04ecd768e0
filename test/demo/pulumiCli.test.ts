/**
 * How `npm run demo` finds or makes a Pulumi CLI, on a machine that has none: what a newcomer sees when nothing can
 * be made (no CLI, no cache, no installer, no Go), and that a cached CLI is used, and completed, without Go.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { runDemoCommand } from "../../src/demo";
import { BUILD_SCRIPT, findOrMakePulumiCli } from "../../src/demo/pulumiCli";

const REPO = join(__dirname, "..", "..");
const SDK_DIR = join(REPO, "node_modules", "@pulumi", "pulumi");
const SDK_VERSION = (JSON.parse(readFileSync(join(SDK_DIR, "package.json"), "utf8")) as { version: string }).version;
const PLUGIN = "pulumi-resource-pulumi-nodejs";
/** A terminal's height: the no-way-out message must fit on one screen. */
const SCREEN_LINES = 24;

let scratch: string;

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "pulumi-fansly-demo-cli-"));
});

afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * A fresh machine: an empty HOME and cache, no `pulumi` and no `go` on PATH (only node's folder and the system's),
 * Go's default folder hidden behind PULUMI_FANSLY_GO, and Pulumi's installer off (its site may be reachable here).
 */
function freshMachine(): NodeJS.ProcessEnv {
  return {
    PATH: [dirname(process.execPath), "/usr/bin", "/bin"].join(":"),
    HOME: join(scratch, "home"),
    PULUMI_FANSLY_CLI_CACHE: join(scratch, "cache"),
    PULUMI_FANSLY_GO: join(scratch, "no-go", "go"),
    PULUMI_FANSLY_SKIP_INSTALLER: "1",
  };
}

/** A stand-in for a CLI an earlier run cached: `pulumi version` answers like the real one, and a language host. */
function cacheFakeCli(env: NodeJS.ProcessEnv, withPlugin: boolean): string {
  const bin = join(env.PULUMI_FANSLY_CLI_CACHE ?? "", `v${SDK_VERSION}`, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "pulumi"), `#!/bin/sh\necho v${SDK_VERSION}\n`);
  writeFileSync(join(bin, "pulumi-language-nodejs"), "#!/bin/sh\nexit 1\n");
  if (withPlugin) writeFileSync(join(bin, PLUGIN), "#!/bin/sh\nexit 1\n");
  for (const name of ["pulumi", "pulumi-language-nodejs", ...(withPlugin ? [PLUGIN] : [])]) chmodSync(join(bin, name), 0o755);
  return bin;
}

describe("npm run demo on a machine with no Pulumi CLI", () => {
  test("without Go and without the installer it prints one screen naming both ways out, exits 1 and leaves nothing behind", async () => {
    const env = freshMachine();
    const out: string[] = [];
    const err: string[] = [];

    const code = await runDemoCommand([], { out: (line) => out.push(line), err: (line) => err.push(line) }, REPO, env);

    expect(code).toBe(1);
    const screen = err.join("\n");
    expect(err.length).toBeLessThanOrEqual(SCREEN_LINES);
    expect(screen).toContain("No Pulumi CLI, and none can be made here");
    expect(screen).toContain("no Go toolchain found");
    expect(screen).toContain("Install the Pulumi CLI");
    expect(screen).toContain("Install Go >= 1.25");
    expect(screen).not.toContain("failed:");
    expect(existsSync(env.PULUMI_FANSLY_CLI_CACHE ?? "")).toBe(false);
  });

  test("a CLI cached by an earlier run is used, with no Go and no network", async () => {
    const env = freshMachine();
    const bin = cacheFakeCli(env, true);
    const said: string[] = [];

    const found = await findOrMakePulumiCli({ root: REPO, env, say: (line) => said.push(line) });

    expect(found.binDir).toBe(bin);
    expect(found.onPath).toBe(false);
    expect(said.join("\n")).toContain("cached by an earlier run");
  });

  test("a cached CLI that lacks the dynamic-provider plugin gets @pulumi/pulumi's copy beside it, with no Go", async () => {
    const env = freshMachine();
    const bin = cacheFakeCli(env, false);

    const { stdout } = await promisify(execFile)("bash", [BUILD_SCRIPT, "--cached"], { cwd: REPO, env });

    expect(stdout.trim()).toBe(bin);
    expect(readFileSync(join(bin, PLUGIN), "utf8")).toBe(readFileSync(join(SDK_DIR, PLUGIN), "utf8"));
    expect(statSync(join(bin, PLUGIN)).mode & 0o111).toBe(0o111);
  });

  test("the build script with nothing cached says where the CLI would go, exits 4 and creates nothing", async () => {
    const env = freshMachine();

    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile("bash", [BUILD_SCRIPT, "--cached"], { cwd: REPO, env }, (_error, stdout) => {
        resolve({ code: child.exitCode, stdout });
      });
    });

    expect(result).toEqual({ code: 4, stdout: `${join(env.PULUMI_FANSLY_CLI_CACHE ?? "", `v${SDK_VERSION}`, "bin")}\n` });
    expect(existsSync(env.PULUMI_FANSLY_CLI_CACHE ?? "")).toBe(false);
  });
});
