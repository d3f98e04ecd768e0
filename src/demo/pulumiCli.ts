/**
 * The Pulumi CLI the demo runs: found, or made, in this order, each step only when the one before has nothing:
 * 1. `pulumi` on PATH (the user's own CLI);
 * 2. a complete CLI cached by an earlier run (`<cache>/v<version>/bin`, see src/toolchain/build-pulumi.sh);
 * 3. Pulumi's own installer (`PulumiCommand.install()`), when get.pulumi.com answers within a few seconds;
 * 4. a build from the Go module proxy (src/toolchain/build-pulumi.sh), when Go is installed: minutes once, with a
 *    progress line at least every 30 s, then cached for every later run.
 * With none of these possible, one screen names both ways out (install the Pulumi CLI, or install Go).
 * Steps 3 and 4 both leave the CLI in the same cache folder, so the examples can put that one folder on PATH.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { basename, delimiter, dirname, join } from "node:path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

/** The build script, beside this folder in the sources (src/toolchain) and in the package (dist/toolchain). */
export const BUILD_SCRIPT = join(__dirname, "..", "toolchain", "build-pulumi.sh");

/** Exit statuses of the build script (its header documents them). */
const GO_UNUSABLE_EXIT = 3;
const NONE_CACHED_EXIT = 4;

/** Where Pulumi's installer script lives; answering a HEAD request is what "reachable" means here. */
const INSTALLER_URL = "https://get.pulumi.com/install.sh";
/** A reachable site answers in well under a second; no answer by then is no internet, not a slow one. */
const INSTALLER_PROBE_TIMEOUT_MS = 10_000;
/** The installer downloads a ~100 MB archive; past this we give up on it and try the next way. */
const INSTALLER_TIMEOUT_MS = 5 * 60_000;
/** How often a long step says it is still working. */
const PROGRESS_EVERY_MS = 15_000;

const INSTALL_DOCS = "https://www.pulumi.com/docs/iac/download-install/";

export interface FoundCli {
  command: PulumiCommand;
  /** The folder holding `pulumi` and the plugins beside it: the one folder to put on PATH for the examples. */
  binDir: string;
  /** Found on PATH (the user's own), rather than cached, installed or built by the demo. */
  onPath: boolean;
}

export interface FindCliOptions {
  /** The folder whose node_modules holds @pulumi/pulumi (the repository root, or an installed package's project). */
  root: string;
  /** The environment to search and to hand to the build (tests pass their own). */
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
}

/** No CLI could be found or made; the message is the whole screen the user sees. */
export class NoPulumiCliError extends Error {
  override readonly name = "NoPulumiCliError";
}

export async function findOrMakePulumiCli(options: FindCliOptions): Promise<FoundCli> {
  const { env, say } = options;
  const onPath = whichPulumi(env);
  if (onPath !== undefined) {
    say(`Pulumi CLI: ${onPath} (on PATH)`);
    return { command: await PulumiCommand.get({ skipVersionCheck: false }), binDir: dirname(onPath), onPath: true };
  }

  const cached = await runBuildScript(options, ["--cached"], { stream: false });
  const binDir = cached.lastLine;
  if (cached.code === 0) {
    say(`Pulumi CLI: ${binDir} (cached by an earlier run)`);
    return found(binDir);
  }
  if (cached.code !== NONE_CACHED_EXIT || binDir === "") throw new Error(`${BUILD_SCRIPT} --cached failed:\n${cached.stderr}`);
  const version = basename(dirname(binDir)).replace(/^v/, "");
  const why = [`no \`pulumi\` on PATH`, `no Pulumi CLI cached in ${dirname(dirname(binDir))}`];

  const installerProblem = await tryInstaller(options, version, binDir);
  if (installerProblem === undefined) return found(binDir);
  why.push(installerProblem);

  const go = await runBuildScript(options, ["--check-go"], { stream: false });
  if (go.code === GO_UNUSABLE_EXIT) throw new NoPulumiCliError(noWayOut([...why, firstLineOfScriptError(go.stderr)], binDir));
  if (go.code !== 0) throw new Error(`${BUILD_SCRIPT} --check-go failed:\n${go.stderr}`);

  say(`No Pulumi CLI yet (${why.join("; ")}).`);
  say(`Building Pulumi CLI ${version} from the Go module proxy with ${go.lastLine}: minutes the first time (about 4 on 2 idle cores),`);
  say(`cached in ${binDir} for every later run. Progress:`);
  const started = Date.now();
  const build = await runBuildScript(options, [], { stream: true });
  if (build.code !== 0) {
    throw new NoPulumiCliError(noWayOut([...why, `the build from the Go module proxy failed (exit ${build.code}; its output is above)`], binDir));
  }
  say(`Pulumi CLI built in ${elapsed(started)}: ${build.lastLine}`);
  return found(build.lastLine);
}

async function found(binDir: string): Promise<FoundCli> {
  return { command: await PulumiCommand.get({ root: dirname(binDir) }), binDir, onPath: false };
}

function whichPulumi(env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir !== "" && existsSync(join(dir, "pulumi"))) return join(dir, "pulumi");
  }
  return undefined;
}

/** The one screen shown when no CLI can be had: what was tried, and the two ways out. */
function noWayOut(why: string[], binDir: string): string {
  return [
    "No Pulumi CLI, and none can be made here:",
    ...why.map((reason) => `  - ${reason.replace(/\n\s*/g, " ")}`),
    "Two ways out, then run `npm run demo` again:",
    `  1. Install the Pulumi CLI (${INSTALL_DOCS}), e.g. \`curl -fsSL https://get.pulumi.com | sh\`, so \`pulumi\` is on PATH.`,
    "  2. Install Go >= 1.25 (https://go.dev/dl/): the demo then builds the CLI from the Go module proxy",
    `     (about 4 minutes once, on 2 cores) into ${binDir}.`,
    "Nothing was left half-made.",
  ].join("\n");
}

/**
 * Pulumi's installer, when its site answers: into a scratch folder beside the cache, moved into `binDir` only once
 * complete. Returns undefined when `binDir` holds the installed CLI, else why the installer could not be used.
 */
async function tryInstaller(options: FindCliOptions, version: string, binDir: string): Promise<string | undefined> {
  const { env, say, root } = options;
  if (env.PULUMI_FANSLY_SKIP_INSTALLER === "1") return "Pulumi's installer skipped (PULUMI_FANSLY_SKIP_INSTALLER=1)";
  try {
    await fetch(INSTALLER_URL, { method: "HEAD", signal: AbortSignal.timeout(INSTALLER_PROBE_TIMEOUT_MS) });
  } catch (error) {
    return `Pulumi's installer cannot reach ${new URL(INSTALLER_URL).host} (${describeFetchError(error)})`;
  }
  const cacheRoot = dirname(dirname(binDir));
  mkdirSync(cacheRoot, { recursive: true });
  const scratch = mkdtempSync(join(cacheRoot, ".install."));
  say(`No Pulumi CLI on PATH or cached: installing Pulumi CLI ${version} with Pulumi's installer (${INSTALLER_URL}) …`);
  const started = Date.now();
  try {
    const problem = await runInstaller(root, env, scratch, version, say);
    if (problem !== undefined) return `Pulumi's installer failed: ${problem}`;
    moveInto(join(scratch, "bin"), binDir);
    say(`Pulumi CLI installed in ${elapsed(started)}: ${binDir}`);
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs `PulumiCommand.install()` in a child process, so a timeout can stop it and everything it started. */
function runInstaller(root: string, env: NodeJS.ProcessEnv, installRoot: string, version: string, say: (line: string) => void): Promise<string | undefined> {
  const script =
    'require("@pulumi/pulumi/automation").PulumiCommand.install({ root: process.argv[1], version: process.argv[2] })' +
    '.then(() => process.exit(0), (e) => { console.error(e instanceof Error ? e.message : String(e)); process.exit(1); });';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["-e", script, installRoot, version], { cwd: root, env, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const started = Date.now();
    const stopGroup = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // already gone
        }
      }
    };
    const progress = setInterval(() => {
      say(`  … still installing (${elapsed(started)})`);
    }, PROGRESS_EVERY_MS);
    const timeout = setTimeout(stopGroup, INSTALLER_TIMEOUT_MS);
    const onInterrupt = (): void => {
      stopGroup();
      process.exit(130);
    };
    process.once("SIGINT", onInterrupt);
    child.on("close", (code) => {
      clearInterval(progress);
      clearTimeout(timeout);
      process.removeListener("SIGINT", onInterrupt);
      if (code === 0) resolve(undefined);
      else if (Date.now() - started >= INSTALLER_TIMEOUT_MS) resolve(`no result within ${INSTALLER_TIMEOUT_MS / 60_000} minutes`);
      else resolve(stderr.trim().split("\n").at(-1) ?? `exit ${String(code)}`);
    });
  });
}

/** Moves an installed bin folder into the cache's: whole when the target is empty, else file by file. */
function moveInto(from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true });
  try {
    renameSync(from, to);
  } catch {
    mkdirSync(to, { recursive: true });
    for (const name of readdirSync(from)) renameSync(join(from, name), join(to, name));
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return `no answer within ${INSTALLER_PROBE_TIMEOUT_MS / 1000} s`;
  const cause: unknown = error.cause;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined;
  return code === undefined ? error.message : `${error.message}: ${code}`;
}

interface ScriptResult {
  code: number;
  /** The last line of stdout: the bin folder (or, for --check-go, the Go toolchain). */
  lastLine: string;
  stderr: string;
}

/** Runs the build script; with `stream`, each of its progress lines is shown as it comes. */
function runBuildScript(options: FindCliOptions, args: string[], { stream }: { stream: boolean }): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT, ...args], { cwd: options.root, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      if (!stream) return;
      const lines = (partial + text).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) options.say(`  ${line}`);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (stream && partial !== "") options.say(`  ${partial}`);
      resolve({ code: code ?? 1, lastLine: stdout.trim().split("\n").at(-1) ?? "", stderr });
    });
  });
}

/** "[build-pulumi 0:00] ERROR: no Go toolchain found (…).\n  Building … needs …" → "no Go toolchain found (…)." */
function firstLineOfScriptError(text: string): string {
  return (text.trim().split("\n")[0] ?? "").replace(/^\[build-pulumi [^\]]*\] (ERROR: )?/, "");
}

function elapsed(since: number): string {
  const seconds = Math.round((Date.now() - since) / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
