/**
 * A user's repository for the pipeline tests, laid out as examples/gitops/README.md tells a user to lay theirs out:
 * a clean `git clone` of this repository (its committed HEAD, so uncommitted edits are not what runs), the pipeline
 * file copied where the README says, and the stack created once "on your machine" as its steps say: `npm install`
 * in examples/from-file (which builds pulumi-fansly from the clone through its `prepare` script), `pulumi stack init`,
 * the config, then Pulumi.<stack>.yaml and package-lock.json committed. Its `origin` is a bare repository beside it,
 * so `changes:` rules and `git push` work offline.
 */
import { execFile, spawn } from "node:child_process";
import { appendFile, copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { killTree } from "../e2e/processTree";

export const REPO = join(__dirname, "..", "..");
export const STACK_DIR = "examples/from-file";
/** How long a pipeline test's setup may take: a cold build of the CLI, a runner or the actions takes minutes. */
export const SETUP_TIMEOUT_MS = 20 * 60_000;

/**
 * The last line a setup script run in this repository prints (build-pulumi.sh, install-runner.sh,
 * build-actions.sh each end with the folder they made).
 */
export async function lastLine(command: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, { cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: SETUP_TIMEOUT_MS });
  const line = stdout.trim().split("\n").at(-1);
  if (line === undefined || line === "") throw new Error(`${command} ${args.join(" ")} printed no folder`);
  return line;
}
const COMMAND_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 100;

export interface UserRepoOptions {
  /** Scratch folder: the repository goes to `<scratch>/repo`, its origin to `<scratch>/origin.git`. */
  scratch: string;
  /** This repository's pipeline file and where the README says to copy it, e.g. `.gitlab-ci.yml`. */
  pipelineFile: string;
  copyTo: string;
  stack: string;
  /** fansly:baseUrl and fansly:accountId of the stack (the emulator here). */
  baseUrl: string;
  accountId: string;
  /** PATH, PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE…: the environment of every command. */
  env: NodeJS.ProcessEnv;
}

export interface Run {
  code: number;
  output: string;
  ms: number;
}

export class UserRepo {
  constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  async git(...args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)("git", args, { cwd: this.dir, env: this.env });
    return stdout;
  }

  /** Appends to a file of the repository (e.g. new entries to links.yaml) and commits it. */
  async appendAndCommit(path: string, text: string, message: string): Promise<void> {
    await appendFile(join(this.dir, path), text);
    await this.git("commit", "--quiet", "-am", message);
  }

  /**
   * Runs `file args` in the repository, output (stdout and stderr, interleaved) collected. `killWhen`, polled:
   * when it turns true, the command and everything it started are killed, as a runner kills a job.
   */
  run(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; unset?: string[]; killWhen?: () => boolean } = {}): Promise<Run> {
    const started = Date.now();
    const unset = new Set(options.unset);
    const env = Object.fromEntries(Object.entries({ ...this.env, ...options.env }).filter(([name]) => !unset.has(name)));
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { cwd: this.dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const kill = (): void => {
        if (child.pid !== undefined) killTree(child.pid);
      };
      const timer = setTimeout(kill, COMMAND_TIMEOUT_MS);
      const poll =
        options.killWhen === undefined
          ? undefined
          : setInterval(() => {
              if (options.killWhen?.() === true) kill();
            }, POLL_MS);
      child.on("error", (error) => {
        clearTimeout(timer);
        clearInterval(poll);
        reject(error);
      });
      child.on("close", (code) => {
        clearTimeout(timer);
        clearInterval(poll);
        resolve({ code: code ?? -1, output, ms: Date.now() - started });
      });
    });
  }
}

/**
 * The test's environment as a user's shell has it (registry settings, CA certificates), without the variables npm and
 * jest set for their own children (`npm_config_*`, `npm_package_*`, `JEST_WORKER_ID`, `NODE_ENV`), and with `extra`.
 */
export function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const own = Object.entries(process.env).filter(([name]) => !/^(npm_|JEST_|NODE_ENV$)/.test(name));
  return { ...Object.fromEntries(own), ...extra };
}

/** Clones this repository into a user's repository with the stack set up (see the file's comment). */
export async function userRepo(options: UserRepoOptions): Promise<UserRepo> {
  const dir = join(options.scratch, "repo");
  const origin = join(options.scratch, "origin.git");
  await promisify(execFile)("git", ["clone", "--quiet", "--no-local", REPO, dir]);
  const repo = new UserRepo(dir, options.env);
  await repo.git("checkout", "--quiet", "-B", "main");
  await repo.git("config", "user.email", "ci@example.com");
  await repo.git("config", "user.name", "Pipeline test");
  await mkdir(dirname(join(dir, options.copyTo)), { recursive: true });
  await copyFile(options.pipelineFile, join(dir, options.copyTo));

  const stackDir = join(dir, STACK_DIR);
  const inStack = async (file: string, args: string[]): Promise<void> => {
    const run = await new UserRepo(stackDir, options.env).run(file, args);
    if (run.code !== 0) throw new Error(`${file} ${args.join(" ")} in ${STACK_DIR} exited ${run.code}:\n${run.output}`);
  };
  await inStack("npm", ["install", "--no-audit", "--no-fund"]);
  await inStack("pulumi", ["stack", "init", options.stack, "--non-interactive"]);
  await inStack("pulumi", ["config", "set", "fansly:baseUrl", options.baseUrl, "--stack", options.stack]);
  await inStack("pulumi", ["config", "set", "fansly:accountId", options.accountId, "--stack", options.stack]);
  await repo.git("add", options.copyTo, `${STACK_DIR}/Pulumi.${options.stack}.yaml`, `${STACK_DIR}/package-lock.json`);
  await repo.git("commit", "--quiet", "-m", "prod stack and pipeline");

  await promisify(execFile)("git", ["clone", "--quiet", "--bare", dir, origin]);
  await repo.git("remote", "set-url", "origin", origin);
  await repo.git("fetch", "--quiet", "origin");
  await repo.git("remote", "set-head", "origin", "main");
  return repo;
}
