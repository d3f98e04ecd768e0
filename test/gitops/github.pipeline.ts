/**
 * examples/gitops/github/workflows/fansly.yml run for real by nektos/act v0.2.89 on the host
 * (`-P ubuntu-24.04=-self-hosted`), in a user's repository cloned from this one (userRepo.ts), against the emulator
 * and a fake of the GitHub API (GITHUB_API_URL), offline: every action the workflow pins comes from the vendor folder
 * at its pinned commit (`--local-repository`; pulumi/actions and upload-artifact built with ncc by build-actions.sh),
 * setup-node finds Node 22 in the runner's tool cache, and pulumi/actions finds the pinned CLI on PATH. act's own
 * cache and artifact servers serve actions/cache and upload-artifact. The workflow file is used as it is.
 *
 * One scenario, in order, one event each: pull_request (one comment, then the same comment updated), push (apply),
 * schedule after a hand edit (the drift job fails, one issue, the report kept as an artifact), push killed mid-`up`
 * then push again (exactly the declared links), workflow_dispatch with command=destroy (no link left).
 *
 * What act does differently from GitHub, and so is not tested here: `paths` filters and concurrency groups (act runs
 * what it is told), and actions/checkout (act copies the working tree instead; the step itself is skipped).
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { pulumiBinFor } from "../e2e/pulumiCli";
import { labelsIn } from "../e2e/requestLog";
import { actFlags as actFlagsFor, actVerdicts as verdicts, nodeInToolCache, WORKFLOW } from "./act";
import { startFakeGitHub, type FakeGitHub } from "./fakeGitHub";
import { lastLine, REPO, SETUP_TIMEOUT_MS, STACK_DIR, userEnv, userRepo, type Run, type UserRepo } from "./userRepo";

const KEY = "pipeline-github-key-8a2f40";
const TOKEN = "ghs-pipeline-test-token";
const PASSPHRASE = "pipeline-github-passphrase";
const REPOSITORY = "agency/links";
const ACCOUNT = "fansly_actions";
const STACK = "prod";
const PR_NUMBER = 7;
const EXAMPLE_LABELS = ["Instagram story", "Reddit post #3", "Twitter bio"];
const KILL_BATCH = 30;
const KILL_AFTER = 10;
const IN_FLIGHT_REPLY_MS = 60_000;

let scratch: string;
let emulator: RunningEmulator;
let githubApi: FakeGitHub;
let repo: UserRepo;
let act: string;
let actFlags: string[];
const timings: string[] = [];


/** act run of `event`, with the event's payload, the user's secrets and variables. */
async function workflow(event: string, payload: object, what: string, options: { killWhen?: () => boolean } = {}): Promise<Run> {
  const eventFile = join(scratch, `${event}.json`);
  await writeFile(eventFile, JSON.stringify({ repository: { full_name: REPOSITORY, name: "links", owner: { login: "agency" } }, ...payload }));
  const run = await repo.run(act, [event, "-e", eventFile, ...actFlags], {
    // The drift job's performance report reads the API directly (not through the stack): the emulator here.
    env: { FANSLY_API_BASE_URL: emulator.url },
    // act hands the host's environment to every step: only the secrets and variables may bring the backend's.
    unset: ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE"],
    ...(options.killWhen === undefined ? {} : { killWhen: options.killWhen }),
  });
  timings.push(`${what}: ${(run.ms / 1000).toFixed(1)} s (exit ${run.code})`);
  return run;
}

function customLinks(): readonly { id: string; label: string }[] {
  return emulator.store.customLinks(ACCOUNT);
}

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true }).catch(() => [])).map(String);
}

beforeAll(async () => {
  const node22 = await lastLine("bash", [join(REPO, ".ci", "install-node.sh"), "22"]);
  act = join(await lastLine("bash", [join(REPO, "test", "gitops", "install-runner.sh"), "act"]), "act");
  const actions = await lastLine("bash", [join(REPO, "test", "gitops", "build-actions.sh")]);
  // The CLI whose language host runs the policy pack the preview job starts (the stack has house-rules.json).
  const pulumiBin = await pulumiBinFor(join(REPO, "node_modules"), { withPolicy: true });
  scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-github-pipeline-"));
  await mkdir(join(scratch, "backend"));
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  githubApi = await startFakeGitHub({ repository: REPOSITORY, token: TOKEN });

  const actCache = join(scratch, "act-cache");
  await nodeInToolCache(node22, actCache);

  const started = Date.now();
  const backendUrl = `file://${join(scratch, "backend")}`;
  repo = await userRepo({
    scratch,
    pipelineFile: WORKFLOW,
    copyTo: ".github/workflows/fansly.yml",
    stack: STACK,
    baseUrl: emulator.url,
    accountId: ACCOUNT,
    env: userEnv({
      // The runner's own tools: the pinned Pulumi CLI (pulumi/actions uses it when its version matches) and the
      // Node that runs act's JavaScript actions; setup-node puts Node 22 first for the steps.
      PATH: [pulumiBin, node22, process.env.PATH ?? ""].join(":"),
      PULUMI_HOME: join(scratch, "pulumi-home"),
      PULUMI_BACKEND_URL: backendUrl,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    }),
  });
  // act names the repository after the origin's URL.
  await repo.git("remote", "set-url", "origin", `https://github.com/${REPOSITORY}.git`);
  timings.push(`user's repository (clone, npm install building pulumi-fansly, stack init): ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // The repository's secrets and variables (examples/gitops/README.md, "Store the secrets"); the state backend is a
  // folder outside the repository, standing in for a bucket.
  actFlags = await actFlagsFor({
    scratch,
    actCache,
    actions,
    githubApiUrl: githubApi.url,
    secrets: { FANSLY_API_KEY: KEY, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, GITHUB_TOKEN: TOKEN },
    vars: { PULUMI_BACKEND_URL: backendUrl },
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await emulator.close();
  await githubApi.close();
  await rm(scratch, { recursive: true, force: true });
  console.log(`GitHub workflow (act) timings:\n  ${timings.join("\n  ")}`);
});

describe("examples/gitops/github/workflows/fansly.yml under act", () => {
  const pullRequest = { number: PR_NUMBER, pull_request: { number: PR_NUMBER, head: { ref: "tiktok", repo: { full_name: REPOSITORY } }, base: { ref: "main" } } };

  test("1. pull_request: one comment with the preview; the next run updates that comment", async () => {
    await repo.git("checkout", "--quiet", "-b", "tiktok");
    await repo.appendAndCommit(`${STACK_DIR}/links.yaml`, "  tiktok-bio:\n    label: TikTok bio\n", "add the TikTok link");
    const first = await workflow("pull_request", pullRequest, "pull_request, first run");
    expect(verdicts(first)).toEqual(["Preview succeeded"]);
    expect(githubApi.comments).toHaveLength(1);
    expect(githubApi.comments[0]?.body).toMatch(/^<!-- pulumi-fansly:preview-comment stack=prod -->/);
    expect(githubApi.comments[0]?.body).toContain("TikTok bio");
    // The preview's cost line (src/provider/costs.ts), carried as code.
    expect(githubApi.comments[0]?.body).toContain("**Cost**: `fansly estimate: ");

    await repo.appendAndCommit(`${STACK_DIR}/links.yaml`, "  spring-promo:\n    label: Spring promo\n", "and a promo");
    const second = await workflow("pull_request", pullRequest, "pull_request, second run");
    expect(verdicts(second)).toEqual(["Preview succeeded"]);
    expect(githubApi.comments).toHaveLength(1);
    expect(githubApi.calls.filter((call) => call.startsWith("PATCH "))).toEqual([`PATCH /issues/comments/${githubApi.comments[0]?.id ?? 0}`]);
    expect(githubApi.comments[0]?.body).toContain("Spring promo");
    // The house rules ran (examples/from-file/house-rules.json): an advisory violation is listed, and passes.
    expect(githubApi.comments[0]?.body).toContain("| ⚠️ advisory | `fansly-label-pattern` | `links-spring-promo` (`fansly:TrackingLink`) |");
    expect(customLinks()).toEqual([]);
  });

  test("2. push to main: pulumi/actions applies, the declared links are made", async () => {
    await repo.git("checkout", "--quiet", "main");
    await repo.git("merge", "--quiet", "--ff-only", "tiktok");
    const push = await workflow("push", { ref: "refs/heads/main" }, "push to main (apply)");
    expect(verdicts(push)).toEqual(["Apply succeeded"]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual([...EXAMPLE_LABELS, "Spring promo", "TikTok bio"].sort());
  });

  test("3. schedule after a hand edit: the drift job fails, opens one issue, and keeps the report as an artifact", async () => {
    const link = customLinks().find((l) => l.label === "Spring promo");
    if (link === undefined) throw new Error("no Spring promo link");
    emulator.store.updateLink(ACCOUNT, link.id, { label: "Spring promo (edited by hand)", description: "" });
    const scheduled = await workflow("schedule", { schedule: "23 6 * * *" }, "schedule (drift check)");
    expect(scheduled.code).not.toBe(0);
    expect(verdicts(scheduled)).toEqual(["Drift check failed"]);
    expect(githubApi.issues).toHaveLength(1);
    expect(githubApi.issues[0]?.title).toBe("Fansly drift check failed: stack prod");
    expect(githubApi.issues[0]?.body).toContain("found the live links different");
    expect(githubApi.issues[0]?.body).toContain("Spring promo");
    // The steps after the failed check still ran: the snapshot cached, the report uploaded.
    expect(scheduled.output).toMatch(/Success - Main Performance report and snapshot/);
    expect(scheduled.output).toMatch(/Success - Main Keep the report and snapshots as an artifact/);
    expect((await filesUnder(join(scratch, "artifacts"))).length).toBeGreaterThan(0);
  });

  test(`4. push killed mid-up (${KILL_AFTER} of ${KILL_BATCH} new links made), then push again: exactly the declared links`, async () => {
    const batch = Array.from({ length: KILL_BATCH }, (_, i) => `Batch link ${String(i).padStart(2, "0")}`);
    await repo.appendAndCommit(`${STACK_DIR}/links.yaml`, batch.map((label, i) => `  batch-${i}:\n    label: ${label}\n`).join(""), "a batch of links");
    const before = customLinks().length;
    emulator.addFault({ method: "POST", kind: "slow-headers", latencyMs: IN_FLIGHT_REPLY_MS, times: 1_000 });
    const killed = await workflow("push", { ref: "refs/heads/main" }, "push to main, apply killed", { killWhen: () => customLinks().length >= before + KILL_AFTER });
    emulator.clearFaults();
    expect(killed.code).not.toBe(0);
    expect(customLinks().length).toBeLessThan(before + KILL_BATCH);

    const next = await workflow("push", { ref: "refs/heads/main" }, "push to main, the next run");
    expect(verdicts(next)).toEqual(["Apply succeeded"]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual([...EXAMPLE_LABELS, "Spring promo", "TikTok bio", ...batch].sort());
  });

  test("5. workflow_dispatch with command=destroy: no link left", async () => {
    const destroy = await workflow("workflow_dispatch", { inputs: { command: "destroy" } }, "workflow_dispatch destroy");
    expect(verdicts(destroy)).toEqual(["Destroy succeeded"]);
    expect(customLinks()).toEqual([]);
  });
});

