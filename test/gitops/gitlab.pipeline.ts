/**
 * examples/gitops/gitlab/.gitlab-ci.yml run for real by gitlab-ci-local (shell executor) in a user's repository
 * (userRepo.ts), against the emulator and a fake of the GitLab API, with the Pulumi CLI the runner provides on PATH
 * (the pinned version, so the job does not download it). The pipeline file is used as it is; only GitLab's own
 * variables (the pipeline source, the merge request, the API URL) and the CI/CD variables a user sets are passed.
 *
 * One scenario, in order: a merge request's pipelines post one note and then update it; the push to main applies;
 * a hand edit fails the scheduled drift check, which opens one issue; an apply killed mid-`up` is healed by the
 * next pipeline (exactly the declared links, each once); the manual destroy job leaves no link.
 *
 * gitlab-ci-local runs shell jobs in the repository folder itself, so the root's node_modules, installed by the
 * stack's first `npm install`, stay between jobs (a real runner's `git clean` would remove them: each job would then
 * install them again, as the first did). Timings are printed at the end.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { pulumiBinFor } from "../e2e/pulumiCli";
import { labelsIn } from "../e2e/requestLog";
import { startFakeGitLab, type FakeGitLab } from "./fakeGitLab";
import { lastLine, REPO, SETUP_TIMEOUT_MS, STACK_DIR, userEnv, userRepo, type Run, type UserRepo } from "./userRepo";

const KEY = "pipeline-gitlab-key-3c9e17";
const TOKEN = "glpat-pipeline-test";
const ACCOUNT = "fansly_gitops";
const STACK = "prod";
const PROJECT_ID = "42";
const MR_IID = "7";
const EXAMPLE_LABELS = ["Instagram story", "Reddit post #3", "Twitter bio"];
const KILL_BATCH = 30;
/** The apply is killed once this many of the batch's links exist (their replies held back meanwhile). */
const KILL_AFTER = 10;
const IN_FLIGHT_REPLY_MS = 60_000;

/** GitLab's predefined variables the test sets; gitlab-ci-local warns about overriding them unless told. */
const PREDEFINED = ["CI_PIPELINE_SOURCE", "CI_API_V4_URL", "CI_PROJECT_ID", "CI_PROJECT_DIR", "CI_MERGE_REQUEST_IID", "CI_JOB_URL"];

let scratch: string;
let emulator: RunningEmulator;
let gitlabApi: FakeGitLab;
let repo: UserRepo;
let gitlabCiLocal: string;
const timings: string[] = [];

/** A pipeline of `source` (push, merge_request_event, schedule, web), with GitLab's and the user's variables. */
function pipeline(source: string, what: string, options: { variables?: Record<string, string>; args?: string[]; killWhen?: () => boolean } = {}): Promise<Run> {
  const variables: Record<string, string> = {
    CI_PIPELINE_SOURCE: source,
    CI_PROJECT_DIR: repo.dir,
    CI_API_V4_URL: gitlabApi.url,
    CI_PROJECT_ID: PROJECT_ID,
    CI_JOB_URL: "https://gitlab.example.com/agency/links/-/jobs/1",
    // The project's CI/CD variables (examples/gitops/README.md, "Store the secrets"); the state backend is a folder
    // outside the repository, standing in for a bucket.
    FANSLY_API_KEY: KEY,
    GITLAB_API_TOKEN: TOKEN,
    PULUMI_BACKEND_URL: repo.env.PULUMI_BACKEND_URL ?? "",
    PULUMI_CONFIG_PASSPHRASE: repo.env.PULUMI_CONFIG_PASSPHRASE ?? "",
    // The drift job's performance report reads the API directly (not through the stack): the emulator here.
    FANSLY_API_BASE_URL: emulator.url,
    ...options.variables,
  };
  const args = ["--force-shell-executor", "--no-color", "--home", join(scratch, "gitlab-ci-local-home")];
  for (const [name, value] of Object.entries(variables)) args.push("--variable", `${name}=${value}`);
  return repo
    .run(gitlabCiLocal, [...args, ...(options.args ?? [])], { env: { GCL_IGNORE_PREDEFINED_VARS: PREDEFINED.join(",") }, ...(options.killWhen === undefined ? {} : { killWhen: options.killWhen }) })
    .then((run) => {
      timings.push(`${what}: ${(run.ms / 1000).toFixed(1)} s (exit ${run.code})`);
      return run;
    });
}

/** gitlab-ci-local's verdict line for a job: " PASS  fansly:apply" / " FAIL  fansly:drift". */
function verdicts(run: Run): string[] {
  return [...run.output.matchAll(/^ (PASS|FAIL|WARN) +(\S+)/gm)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);
}

function customLinks(): readonly { id: string; label: string }[] {
  return emulator.store.customLinks(ACCOUNT);
}

beforeAll(async () => {
  const node22 = await lastLine("bash", [join(REPO, ".ci", "install-node.sh"), "22"]);
  gitlabCiLocal = join(await lastLine("bash", [join(REPO, "test", "gitops", "install-runner.sh"), "gitlab-ci-local"]), "gitlab-ci-local");
  // The CLI whose language host runs the policy pack the preview job starts (the stack has house-rules.json).
  const pulumiBin = await pulumiBinFor(join(REPO, "node_modules"), { withPolicy: true });
  scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-gitlab-pipeline-"));
  await mkdir(join(scratch, "backend"));
  emulator = await startEmulator({ apiKeys: [KEY], accounts: [ACCOUNT] });
  gitlabApi = await startFakeGitLab({ projectId: PROJECT_ID, mergeRequestIid: MR_IID, token: TOKEN });
  const started = Date.now();
  repo = await userRepo({
    scratch,
    pipelineFile: join(REPO, "examples", "gitops", "gitlab", ".gitlab-ci.yml"),
    copyTo: ".gitlab-ci.yml",
    stack: STACK,
    baseUrl: emulator.url,
    accountId: ACCOUNT,
    env: userEnv({
      // The runner's tools: Node 22 (the pipeline's image is node:22) and the pinned Pulumi CLI.
      PATH: [node22, pulumiBin, process.env.PATH ?? ""].join(":"),
      PULUMI_HOME: join(scratch, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${join(scratch, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "pipeline-passphrase",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    }),
  });
  timings.push(`user's repository (clone, npm install building pulumi-fansly, stack init): ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await emulator.close();
  await gitlabApi.close();
  await rm(scratch, { recursive: true, force: true });
  console.log(`GitLab pipeline timings:\n  ${timings.join("\n  ")}`);
});

describe("examples/gitops/gitlab/.gitlab-ci.yml under gitlab-ci-local", () => {
  test("1. a merge request's pipeline posts one note with the preview; its next pipeline updates that note", async () => {
    await repo.git("checkout", "--quiet", "-b", "tiktok");
    await repo.appendAndCommit(`${STACK_DIR}/links.yaml`, "  tiktok-bio:\n    label: TikTok bio\n", "add the TikTok link");
    const first = await pipeline("merge_request_event", "merge request, first pipeline", { variables: { CI_MERGE_REQUEST_IID: MR_IID } });
    expect(verdicts(first)).toEqual(["PASS fansly:preview"]);
    const posted = gitlabApi.notes.filter((note) => !note.system);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.body).toMatch(/^<!-- pulumi-fansly:preview-comment stack=prod -->/);
    expect(posted[0]?.body).toContain("TikTok bio");
    // The preview's cost line (src/provider/costs.ts), carried as code.
    expect(posted[0]?.body).toContain("**Cost**: `fansly estimate: ");

    await repo.appendAndCommit(`${STACK_DIR}/links.yaml`, "  spring-promo:\n    label: Spring promo\n", "and a promo");
    const second = await pipeline("merge_request_event", "merge request, second pipeline", { variables: { CI_MERGE_REQUEST_IID: MR_IID } });
    expect(verdicts(second)).toEqual(["PASS fansly:preview"]);
    expect(gitlabApi.notes.filter((note) => !note.system)).toHaveLength(1);
    expect(gitlabApi.calls.filter((call) => call.startsWith("PUT "))).toEqual([`PUT /merge_requests/${MR_IID}/notes/2`]);
    expect(gitlabApi.notes[1]?.body).toContain("Spring promo");
    // The house rules ran (examples/from-file/house-rules.json): an advisory violation is listed, and passes.
    expect(gitlabApi.notes[1]?.body).toContain("| ⚠️ advisory | `fansly-label-pattern` | `links-spring-promo` (`fansly:TrackingLink`) |");
    // A preview makes nothing.
    expect(customLinks()).toEqual([]);
  });

  test("2. the push to main applies: the declared links are made", async () => {
    await repo.git("checkout", "--quiet", "main");
    await repo.git("merge", "--quiet", "--ff-only", "tiktok");
    const push = await pipeline("push", "push to main (apply)");
    expect(verdicts(push)).toEqual(["PASS fansly:apply"]);
    expect(labelsIn(emulator, ACCOUNT)).toEqual([...EXAMPLE_LABELS, "Spring promo", "TikTok bio"].sort());
    await repo.git("push", "--quiet", "origin", "main");
  });

  test("3. a link edited by hand: the scheduled pipeline fails the drift job and opens one issue", async () => {
    const link = customLinks().find((l) => l.label === "Spring promo");
    if (link === undefined) throw new Error("no Spring promo link");
    emulator.store.updateLink(ACCOUNT, link.id, { label: "Spring promo (edited by hand)", description: "" });
    const scheduled = await pipeline("schedule", "schedule (drift check)");
    expect(scheduled.code).not.toBe(0);
    expect(verdicts(scheduled)).toEqual(["FAIL fansly:drift"]);
    expect(scheduled.output).toContain("The links differ from what main declares");
    expect(gitlabApi.issues).toHaveLength(1);
    expect(gitlabApi.issues[0]?.title).toBe("Fansly drift check failed: stack prod");
    expect(gitlabApi.issues[0]?.notes[0]).toContain("found the live links different");
    expect(gitlabApi.issues[0]?.notes[0]).toContain("Spring promo");
  });

  test(`4. the apply job killed mid-up (${KILL_AFTER} of ${KILL_BATCH} new links made): the next pipeline ends with exactly the declared links`, async () => {
    const batch = Array.from({ length: KILL_BATCH }, (_, i) => `Batch link ${String(i).padStart(2, "0")}`);
    await repo.appendAndCommit(`${STACK_DIR}/links.yaml`, batch.map((label, i) => `  batch-${i}:\n    label: ${label}\n`).join(""), "a batch of links");
    const before = customLinks().length;
    // Each POST is applied at once and its reply held: the links exist while the engine still waits for them.
    emulator.addFault({ method: "POST", kind: "slow-headers", latencyMs: IN_FLIGHT_REPLY_MS, times: 1_000 });
    const killed = await pipeline("push", "push to main, apply killed", { killWhen: () => customLinks().length >= before + KILL_AFTER });
    emulator.clearFaults();
    expect(killed.code).not.toBe(0);
    expect(customLinks().length).toBeGreaterThanOrEqual(before + KILL_AFTER);
    expect(customLinks().length).toBeLessThan(before + KILL_BATCH);

    const next = await pipeline("push", "push to main, the next pipeline");
    expect(verdicts(next)).toEqual(["PASS fansly:apply"]);
    const labels = labelsIn(emulator, ACCOUNT);
    // Exactly the declared links, each once; the hand edit of step 3 put back by the apply's refresh.
    expect(labels).toEqual([...EXAMPLE_LABELS, "Spring promo", "TikTok bio", ...batch].sort());
    await repo.git("push", "--quiet", "origin", "main");
  });

  test("5. the manual destroy job (Run pipeline with FANSLY_DESTROY=yes) leaves no link", async () => {
    const destroy = await pipeline("web", "web pipeline, manual destroy", { variables: { FANSLY_DESTROY: "yes" }, args: ["--manual", "fansly:destroy"] });
    expect(verdicts(destroy)).toEqual(["PASS fansly:destroy"]);
    expect(customLinks()).toEqual([]);
  });
});
