/**
 * The fleet mode of examples/gitops/github/workflows/fansly.yml (repository variable FANSLY_FLEET=true) run for real
 * by nektos/act (act.ts): two stacks (two accounts) of one project, state in a real PostgreSQL server
 * (examples/team-backend, as the README tells a fleet to keep it), the emulator, a fake of the GitHub API. The first
 * job lists the stacks; each command is a matrix job per stack; preview and drift end with one summary job that
 * collects every stack's report (upload-artifact, download-artifact through act's artifact server).
 *
 * One scenario, in order: pull_request → ONE comment summarising both stacks' previews, each job at its share of
 * the key's rate limit (600 / 2 jobs at once = 300); push → both stacks applied; a hand edit in one account, then
 * schedule → ONE issue naming that stack; workflow_dispatch with command=destroy → one job destroys every stack.
 * What act does differently from GitHub: concurrency groups and max-parallel are not enforced the same way (act runs
 * what it is told), and actions/checkout is skipped.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { startPostgres, type RunningPostgres } from "../e2e/postgresServer";
import { pulumiBinFor } from "../e2e/pulumiCli";
import { labelsIn } from "../e2e/requestLog";
import { actFlags as actFlagsFor, actVerdicts, nodeInToolCache, WORKFLOW } from "./act";
import { addPromoToEveryStack, editPromoByHand, expectDriftIssue, expectFleetDestroyed, expectPreviewSummary, fleetEnv, makeFleet, SHARE_OF_TWO, sharesLogged, upEveryStack } from "./fleet";
import { startFakeGitHub, type FakeGitHub } from "./fakeGitHub";
import { lastLine, REPO, SETUP_TIMEOUT_MS, STACK_DIR, userRepo, type Run, type UserRepo } from "./userRepo";

const KEY = "pipeline-github-fleet-key-77c1";
const TOKEN = "ghs-fleet-test-token";
const PASSPHRASE = "fleet-github-passphrase";
const REPOSITORY = "agency/links";
const PR_NUMBER = 11;
/** Two stacks, two accounts: stack → account. */
const FLEET = { "agency-a": "fansly_gh_fleet_a", "agency-b": "fansly_gh_fleet_b" } as const;
type Stack = keyof typeof FLEET;
const STACKS = Object.keys(FLEET) as Stack[];

let scratch: string;
let emulator: RunningEmulator;
let postgres: RunningPostgres;
let githubApi: FakeGitHub;
let repo: UserRepo;
let act: string;
let actFlags: string[];
const timings: string[] = [];

async function workflow(event: string, payload: object, what: string): Promise<Run> {
  const eventFile = join(scratch, `${event}.json`);
  await writeFile(eventFile, JSON.stringify({ repository: { full_name: REPOSITORY, name: "links", owner: { login: "agency" } }, ...payload }));
  // act hands the host's environment to every step: only the secrets and variables may bring the backend's.
  const run = await repo.run(act, [event, "-e", eventFile, ...actFlags], { unset: ["PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PGPASSWORD"] });
  timings.push(`${what}: ${(run.ms / 1000).toFixed(1)} s (exit ${run.code})`);
  return run;
}

/** act's verdicts, sorted, without the number act appends to a matrix job's name ("Fleet apply (agency-a)-1"). */
function verdicts(run: Run): string[] {
  return actVerdicts(run)
    .map((verdict) => verdict.replace(/-\d+ (succeeded|failed)$/, " $1"))
    .sort();
}


beforeAll(async () => {
  const node22 = await lastLine("bash", [join(REPO, ".ci", "install-node.sh"), "22"]);
  act = join(await lastLine("bash", [join(REPO, "test", "gitops", "install-runner.sh"), "act"]), "act");
  const actions = await lastLine("bash", [join(REPO, "test", "gitops", "build-actions.sh")]);
  // The CLI whose language host runs the policy pack the fleet preview jobs start (the stacks have house-rules.json).
  const pulumiBin = await pulumiBinFor(join(REPO, "node_modules"), { withPolicy: true });
  scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-github-fleet-"));
  postgres = await startPostgres();
  emulator = await startEmulator({ apiKeys: [KEY], accounts: Object.values(FLEET) });
  githubApi = await startFakeGitHub({ repository: REPOSITORY, token: TOKEN });
  const actCache = join(scratch, "act-cache");
  await nodeInToolCache(node22, actCache);

  const started = Date.now();
  const [first] = STACKS as [Stack];
  repo = await userRepo({
    scratch,
    pipelineFile: WORKFLOW,
    copyTo: ".github/workflows/fansly.yml",
    stack: first,
    baseUrl: emulator.url,
    accountId: FLEET[first],
    env: fleetEnv({ pathFirst: [pulumiBin, node22], scratch, postgres, passphrase: PASSPHRASE }),
  });
  // The fleet as `import --all-accounts` lays it out: a stack per account, each reading its own links file.
  await makeFleet(repo, FLEET, emulator.url);
  await repo.git("add", STACK_DIR);
  await repo.git("commit", "--quiet", "-m", "the fleet: a stack per account");
  // act names the repository after the origin's URL.
  await repo.git("remote", "set-url", "origin", `https://github.com/${REPOSITORY}.git`);
  timings.push(`user's repository (clone, npm install, two stacks on PostgreSQL): ${((Date.now() - started) / 1000).toFixed(1)} s`);

  actFlags = await actFlagsFor({
    scratch,
    actCache,
    actions,
    githubApiUrl: githubApi.url,
    secrets: { FANSLY_API_KEY: KEY, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, PGPASSWORD: postgres.password, GITHUB_TOKEN: TOKEN },
    vars: { FANSLY_FLEET: "true", PULUMI_BACKEND_URL: postgres.url },
  });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await emulator.close();
  await githubApi.close();
  await postgres.stop();
  await rm(scratch, { recursive: true, force: true });
  console.log(`GitHub fleet workflow (act) timings:\n  ${timings.join("\n  ")}`);
});

describe("the fleet mode of examples/gitops/github/workflows/fansly.yml under act", () => {
  const pullRequest = { number: PR_NUMBER, pull_request: { number: PR_NUMBER, head: { ref: "promo", repo: { full_name: REPOSITORY } }, base: { ref: "main" } } };

  test("pull_request: ONE comment summarising every stack's preview; each job ran at its share of the key's limit", async () => {
    await repo.git("checkout", "--quiet", "-b", "promo");
    await addPromoToEveryStack(repo, FLEET);
    const run = await workflow("pull_request", pullRequest, "pull_request (fleet preview)");
    expect(verdicts(run)).toEqual(["Fleet preview (agency-a) succeeded", "Fleet preview (agency-b) succeeded", "Fleet preview summary succeeded", "Fleet stacks succeeded"]);
    expect(sharesLogged(run)).toEqual(STACKS.map((stack) => `${stack}=${SHARE_OF_TWO}`));
    expect(githubApi.comments).toHaveLength(1);
    const body = githubApi.comments[0]?.body ?? "";
    expectPreviewSummary(body, FLEET);
    for (const account of Object.values(FLEET)) expect(labelsIn(emulator, account)).toEqual([]);
  });

  test("push to main: every stack applied, each account has exactly its declared links", async () => {
    await repo.git("checkout", "--quiet", "main");
    await repo.git("merge", "--quiet", "--ff-only", "promo");
    const run = await workflow("push", { ref: "refs/heads/main" }, "push to main (fleet apply)");
    expect(verdicts(run)).toEqual(["Fleet apply (agency-a) succeeded", "Fleet apply (agency-b) succeeded", "Fleet stacks succeeded"]);
    expect(sharesLogged(run)).toEqual(STACKS.map((stack) => `${stack}=${SHARE_OF_TWO}`));
    for (const stack of STACKS) expect(labelsIn(emulator, FLEET[stack])).toEqual([`${stack} bio`, `${stack} promo`]);
  });

  test("schedule after a hand edit in one account: ONE issue naming that stack", async () => {
    editPromoByHand(emulator, FLEET, "agency-b");
    const run = await workflow("schedule", { schedule: "23 6 * * *" }, "schedule (fleet drift check)");
    expect(verdicts(run)).toEqual(["Fleet drift check (agency-a) succeeded", "Fleet drift check (agency-b) failed", "Fleet drift summary failed", "Fleet stacks succeeded"]);
    expect(githubApi.issues).toHaveLength(1);
    expect(githubApi.issues[0]?.title).toBe("Fansly drift check failed: fleet");
    const body = githubApi.issues[0]?.body ?? "";
    expectDriftIssue(body, "agency-b", "agency-a");
  });

  test("workflow_dispatch with command=destroy: ONE job destroys every stack, no link left in any account", async () => {
    await upEveryStack(repo, emulator, FLEET, KEY);
    const run = await workflow("workflow_dispatch", { inputs: { command: "destroy" } }, "workflow_dispatch destroy (fleet)");
    expect(verdicts(run)).toEqual(["Fleet destroy succeeded"]);
    expectFleetDestroyed(run, emulator, FLEET);
  });
});
