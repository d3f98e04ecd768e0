/**
 * What the GitHub workflow tests need to run examples/gitops/github/workflows/fansly.yml under nektos/act offline:
 * act's flags (the host as the runner, every pinned action from the built vendor folder, act's own cache and artifact
 * servers, the repository's secrets and variables), Node 22 in the runner's tool cache for setup-node, and act's
 * verdict per job. One place, so the single-stack and the fleet test run the workflow the same way.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO, type Run } from "./userRepo";

export const WORKFLOW = join(REPO, "examples", "gitops", "github", "workflows", "fansly.yml");

/** The vendor folder's name for each action the workflow pins, by repository. */
const VENDORED: Record<string, string> = {
  "actions/checkout": "checkout@v4.2.2",
  "actions/setup-node": "setup-node@v4.1.0",
  "pulumi/actions": "pulumi-actions@v7.0.0",
  "actions/github-script": "github-script@v7.0.1",
  "actions/cache": "cache@v4.2.3",
  "actions/upload-artifact": "upload-artifact@v4.6.2",
  "actions/download-artifact": "download-artifact@v4.3.0",
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** `--local-repository owner/repo@sha=<folder>` for every action the workflow pins (one per repository). */
function localRepositories(actions: string): string[] {
  const uses = [...readFileSync(WORKFLOW, "utf8").matchAll(/uses: ([\w.-]+\/[\w.-]+)(?:\/[\w.-]+)?@([0-9a-f]{40})/g)];
  const flags = new Set(uses.map(([, repository = "", sha = ""]) => `${repository}@${sha}=${join(actions, VENDORED[repository] ?? `missing-${repository}`)}`));
  return [...flags].flatMap((flag) => ["--local-repository", flag]);
}

/** setup-node looks in the runner's tool cache before downloading: Node 22 goes there, as a hosted runner has it. */
export async function nodeInToolCache(node22: string, actCache: string): Promise<void> {
  const nodeVersion = (await promisify(execFile)(join(node22, "node"), ["--version"])).stdout.trim().replace(/^v/, "");
  const cachedNode = join(actCache, "tool_cache", "node", nodeVersion, "x64");
  await mkdir(join(cachedNode, "bin"), { recursive: true });
  await copyFile(join(node22, "node"), join(cachedNode, "bin", "node"));
  await chmod(join(cachedNode, "bin", "node"), 0o755);
  await writeFile(`${cachedNode}.complete`, "");
}

/**
 * act's flags for the workflow in the user's repository: offline, the host as ubuntu-24.04, servers under `scratch`,
 * and the repository's secrets (`-s NAME=value`) and variables (`--var NAME=value`).
 */
export async function actFlags(options: { scratch: string; actCache: string; actions: string; githubApiUrl: string; secrets: Record<string, string>; vars: Record<string, string> }): Promise<string[]> {
  const { scratch } = options;
  return [
    "-W",
    ".github/workflows/fansly.yml",
    "-P",
    "ubuntu-24.04=-self-hosted",
    "--action-offline-mode",
    "--action-cache-path",
    options.actCache,
    "--cache-server-path",
    join(scratch, "actions-cache"),
    "--cache-server-addr",
    "127.0.0.1",
    "--cache-server-port",
    "0",
    "--artifact-server-path",
    join(scratch, "artifacts"),
    "--artifact-server-addr",
    "127.0.0.1",
    "--artifact-server-port",
    String(await freePort()),
    ...localRepositories(options.actions),
    ...Object.entries(options.secrets).flatMap(([name, value]) => ["-s", `${name}=${value}`]),
    ...Object.entries(options.vars).flatMap(([name, value]) => ["--var", `${name}=${value}`]),
    "--env",
    `GITHUB_API_URL=${options.githubApiUrl}`,
  ];
}

/** act's verdict line per job: "Apply succeeded", "Drift check failed". */
export function actVerdicts(run: Run): string[] {
  // act pads the job names to one width: "[fansly/Apply      ]".
  return [...run.output.matchAll(/^\[fansly\/([^\]]+?) *\] 🏁 +Job (succeeded|failed)/gmu)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);
}
