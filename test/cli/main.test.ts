/** `pulumi-fansly` itself: what it prints before any subcommand runs. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import { runCaptured } from "./capturedIo";

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;

describe("pulumi-fansly", () => {
  test.each([["--version"], ["-V"]])("%s prints the package's version (package.json) and exits 0", async (flag) => {
    const { code, stdout, stderr } = await runCaptured(runCli, [flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${PACKAGE_VERSION}\n`);
    expect(stderr).toBe("");
  });

  test("--help names --version", async () => {
    const { code, stdout } = await runCaptured(runCli, ["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("pulumi-fansly --version");
  });

  test("a mistyped command names the one it most likely meant (exit 2)", async () => {
    const { code, stderr } = await runCaptured(runCli, ["recovr"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "recovr"; did you mean recover?');
  });

  test.each([
    ["recover", "--dryrun", "--dry-run"],
    ["recover", "--stak", "--stack"],
    ["preview-comment", "--stak", "--stack"],
    ["preview-comment", "--max-char", "--max-chars"],
  ])("%s %s: a usage error naming %s (exit 2), before anything runs", async (command, flag, meant) => {
    const { code, stdout, stderr } = await runCaptured(runCli, [command, flag, "x"], { stdin: "not read" });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`did you mean ${meant}?`);
    expect(stderr).toContain(`usage: `);
  });
});
