/**
 * The real Pulumi CLI for the end-to-end tests: built from the Go module proxy by src/toolchain/build-pulumi.sh
 * (cached per version outside the repo), run as a user runs it, offline, on a local file backend in a scratch
 * folder, with only its own folder (and node's) on PATH: the plugins beside `pulumi` must be enough.
 */
import { execFile, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const BUILD_SCRIPT = join(__dirname, "..", "..", "src", "toolchain", "build-pulumi.sh");
/** Pulumi's warning when it runs a plugin found on PATH instead of the one bundled beside the CLI. */
const AMBIENT_PLUGIN_WARNING = "from $PATH";
const BUILD_TIMEOUT_MS = 15 * 60_000;
const COMMAND_TIMEOUT_MS = 5 * 60_000;

export interface CliRun {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Builds (or finds cached) the CLI and language host matching the SDK in `sdkNodeModules`; returns their folder.
 * `withYaml`: Pulumi YAML's language host too, beside `pulumi` (build-pulumi.sh --with-yaml). `withPolicy`: the
 * folder whose language host runs Node.js policy packs (build-pulumi.sh --with-policy).
 */
export async function pulumiBinFor(sdkNodeModules: string, options: { withYaml?: boolean; withPolicy?: boolean } = {}): Promise<string> {
  const flags = [...(options.withYaml === true ? ["--with-yaml"] : []), ...(options.withPolicy === true ? ["--with-policy"] : [])];
  const { stdout } = await promisify(execFile)("bash", [BUILD_SCRIPT, ...flags], {
    env: { ...process.env, PULUMI_SDK_PACKAGE_JSON: join(sdkNodeModules, "@pulumi", "pulumi", "package.json") },
    timeout: BUILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const bin = stdout.trim().split("\n").at(-1);
  if (bin === undefined || bin === "") throw new Error("build-pulumi.sh printed no bin folder");
  return bin;
}

/** A command started in its own process group, so a test can kill it and everything it started. */
export interface StartedCli {
  pid: number;
  done: Promise<CliRun>;
}

export interface PulumiCliOptions {
  /** State backend URL (PULUMI_BACKEND_URL). Default: a file backend under `home`; `null`: none, `pulumi login` decides. */
  backendUrl?: string | null;
  /** More environment for every command (e.g. PGPASSWORD for a PostgreSQL backend). */
  env?: Record<string, string>;
  /** A command still running after this long is killed (default 5 minutes; the benchmark's big stacks need more). */
  commandTimeoutMs?: number;
}

/** A resource of `pulumi stack export`, the fields the tests read. */
export interface ExportedResource {
  type: string;
  urn: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  stackTrace?: unknown;
}

/**
 * The "Diagnostics:" section of a command's output (up to its summary): each message once, where the progress lines
 * above repeat it. The error-message tests read it for frames, colour codes and repeats.
 */
export function diagnosticsOf(run: CliRun): string {
  const output = `${run.stdout}${run.stderr}`;
  const start = output.indexOf("Diagnostics:");
  if (start === -1) return "";
  const end = output.indexOf("\nResources:", start);
  return output.slice(start, end === -1 ? undefined : end);
}

/** How often `text` occurs in `within`. */
export function occurrences(within: string, text: string): number {
  return within.split(text).length - 1;
}

export class PulumiCli {
  /** Every command run and everything it printed: the secret scan reads it. */
  readonly runs: CliRun[] = [];
  readonly #env: NodeJS.ProcessEnv;
  readonly #timeoutMs: number;

  /**
   * @param bin folder of `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`
   * @param home scratch folder for PULUMI_HOME and the file backend
   */
  constructor(bin: string, readonly home: string, options: PulumiCliOptions = {}) {
    this.#timeoutMs = options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
    const backendUrl = options.backendUrl === undefined ? `file://${join(home, "backend")}` : options.backendUrl;
    this.#env = {
      // The Node running the tests runs the program and the provider host too (Node 22 run: Node 22 throughout).
      PATH: [dirname(process.execPath), bin, process.env.PATH ?? ""].join(":"),
      HOME: process.env.HOME,
      PULUMI_HOME: join(home, "pulumi-home"),
      ...(backendUrl === null ? {} : { PULUMI_BACKEND_URL: backendUrl }),
      PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // No colour codes, so the output can be read and matched.
      NO_COLOR: "1",
      ...options.env,
    };
  }

  async prepare(): Promise<void> {
    await mkdir(join(this.home, "backend"), { recursive: true });
    await mkdir(join(this.home, "pulumi-home"), { recursive: true });
  }

  /**
   * `pulumi stack init` and the stack's config, as a user sets it up: the API's URL (the emulator), the default
   * account when given, and the key as a secret.
   */
  async initStack(cwd: string, stack: string, config: { baseUrl: string; apiKey: string; accountId?: string }): Promise<void> {
    await this.run(cwd, ["stack", "init", stack]);
    await this.run(cwd, ["config", "set", "fansly:baseUrl", config.baseUrl, "--stack", stack]);
    if (config.accountId !== undefined) await this.run(cwd, ["config", "set", "fansly:accountId", config.accountId, "--stack", stack]);
    await this.run(cwd, ["config", "set", "--secret", "fansly:apiKey", config.apiKey, "--stack", stack]);
  }

  /** `pulumi stack export`: the text as printed (for secret scans) and its resources. */
  async exportStack(cwd: string, stack: string): Promise<{ text: string; resources: ExportedResource[] }> {
    const { stdout } = await this.run(cwd, ["stack", "export", "--stack", stack]);
    return { text: stdout, resources: (JSON.parse(stdout) as { deployment: { resources?: ExportedResource[] } }).deployment.resources ?? [] };
  }

  /** Runs `pulumi <args>` in `cwd`; rejects on a non-zero exit unless `allowFailure`. */
  run(cwd: string, args: string[], options: { allowFailure?: boolean } = {}): Promise<CliRun> {
    return this.exec(cwd, "pulumi", [...args, "--non-interactive", "--color", "never"], options);
  }

  /** Starts `pulumi <args>` as the leader of a new process group and returns at once (see `StartedCli`). */
  start(cwd: string, args: string[]): StartedCli {
    let pid = -1;
    const done = this.exec(cwd, "pulumi", [...args, "--non-interactive", "--color", "never"], { allowFailure: true, detached: true, onSpawn: (child) => (pid = child) });
    return { pid, done };
  }

  /** Runs any program with this CLI's environment (PATH with `pulumi`, backend, passphrase): e.g. our own bin. */
  exec(cwd: string, file: string, args: string[], options: { allowFailure?: boolean; detached?: boolean; onSpawn?: (pid: number) => void } = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { cwd, env: this.#env, stdio: ["ignore", "pipe", "pipe"], detached: options.detached === true });
      if (child.pid !== undefined) options.onSpawn?.(child.pid);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), this.#timeoutMs);
      child.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        const run = { command: `${file === "pulumi" ? "pulumi" : file.slice(file.lastIndexOf("/") + 1)} ${args.join(" ")}`, code: code ?? -1, stdout, stderr };
        this.runs.push(run);
        if (`${stdout}${stderr}`.includes(AMBIENT_PLUGIN_WARNING)) {
          reject(new Error(`${run.command} ran a plugin from PATH instead of the one beside the CLI in ${this.#env.PATH ?? ""}:\n${stdout}\n${stderr}`));
        } else if (run.code !== 0 && options.allowFailure !== true) {
          reject(new Error(`${run.command} exited with ${run.code}\n${stdout}\n${stderr}`));
        } else {
          resolve(run);
        }
      });
    });
  }
}
