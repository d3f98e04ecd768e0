/**
 * The fleet mode of examples/gitops/gitlab/.gitlab-ci.yml (FANSLY_FLEET=true) run for real by gitlab-ci-local: two
 * stacks (two accounts) of one project, state in a real PostgreSQL server (examples/team-backend, as the README tells
 * a fleet to keep it), the emulator, a fake of the GitLab API. The first job lists the stacks; each command is a
 * child pipeline (.gitlab/fansly-fleet.yml with the generated fleet-matrix.yml) with one job per stack and one
 * summary job.
 *
 * One scenario, in order: a merge request's pipeline posts ONE note summarising both stacks' previews, each job at
 * its share of the key's rate limit (600 / 2 jobs at once = 300); the push to main applies both stacks; a hand edit
 * in one account fails the scheduled drift check, which opens ONE issue naming that stack; the manual destroy job
 * (FANSLY_DESTROY=yes) deletes every stack's links in one job.
 *
 * The CI/CD variables go in gitlab-ci-local's variables file (`--home`), as a project's do, so the child pipelines
 * get them too. gitlab-ci-local runs shell jobs in the repository folder itself, so the jobs run one at a time
 * (`--concurrency 1`): two at once would run `npm ci` in the same folder, where a real runner gives each job its own
 * checkout. For the same reason each job's `pulumi config set` of its share is undone after each pipeline (a real
 * job's checkout is thrown away). gitlab-ci-local ignores resource_group lanes (as it does the single-stack
 * resource_group) and `strategy: depend` (the parent passes whatever the child did): the child's verdicts are read.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { startPostgres, type RunningPostgres } from "../e2e/postgresServer";
import { pulumiBinFor } from "../e2e/pulumiCli";
import { labelsIn } from "../e2e/requestLog";
import { addPromoToEveryStack, editPromoByHand, expectDriftIssue, expectFleetDestroyed, expectPreviewSummary, fleetEnv, makeFleet, SHARE_OF_TWO, sharesLogged, upEveryStack } from "./fleet";
import { startFakeGitLab, type FakeGitLab } from "./fakeGitLab";
import { lastLine, REPO, SETUP_TIMEOUT_MS, STACK_DIR, userRepo, type Run, type UserRepo } from "./userRepo";

const KEY = "pipeline-gitlab-fleet-key-51d2";
const TOKEN = "glpat-fleet-test";
const PASSPHRASE = "fleet-passphrase";
const PROJECT_ID = "42";
const MR_IID = "9";
/** Two stacks, two accounts: stack → account. */
const FLEET = { "agency-a": "fansly_fleet_a", "agency-b": "fansly_fleet_b" } as const;
type Stack = keyof typeof FLEET;
const STACKS = Object.keys(FLEET) as Stack[];

let scratch: string;
let emulator: RunningEmulator;
let postgres: RunningPostgres;
let gitlabApi: FakeGitLab;
let repo: UserRepo;
let gitlabCiLocal: string;
const timings: string[] = [];

/** A pipeline of `source`; afterwards the jobs' `pulumi config set` is undone, as a runner drops its checkout. */
async function pipeline(source: string, what: string, variables: Record<string, string> = {}, extraArgs: string[] = []): Promise<Run> {
  const args = ["--force-shell-executor", "--no-color", "--concurrency", "1", "--home", join(scratch, "gitlab-ci-local-home"), "--variable", `CI_PIPELINE_SOURCE=${source}`, ...extraArgs];
  for (const [name, value] of Object.entries(variables)) args.push("--variable", `${name}=${value}`);
  const run = await repo.run(gitlabCiLocal, args, { env: { GCL_IGNORE_PREDEFINED_VARS: "CI_PIPELINE_SOURCE,CI_MERGE_REQUEST_IID,CI_API_V4_URL,CI_PROJECT_ID,CI_JOB_URL" } });
  await repo.git("checkout", "--quiet", "--", STACK_DIR);
  timings.push(`${what}: ${(run.ms / 1000).toFixed(1)} s (exit ${run.code})`);
  return run;
}

/** gitlab-ci-local's verdict lines, parent and child jobs alike, sorted: "PASS fansly:stack:apply: [agency-a,0]". */
function verdicts(run: Run): string[] {
  return [...run.output.matchAll(/^ (PASS|FAIL) +(?:\[[^\]]+\] -> )?(.+?)\s*$/gm)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`).sort();
}


beforeAll(async () => {
  const node22 = await lastLine("bash", [join(REPO, ".ci", "install-node.sh"), "22"]);
  gitlabCiLocal = join(await lastLine("bash", [join(REPO, "test", "gitops", "install-runner.sh"), "gitlab-ci-local"]), "gitlab-ci-local");
  // The CLI whose language host runs the policy pack the fleet preview jobs start (the stacks have house-rules.json).
  const pulumiBin = await pulumiBinFor(join(REPO, "node_modules"), { withPolicy: true });
  scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-gitlab-fleet-"));
  postgres = await startPostgres();
  emulator = await startEmulator({ apiKeys: [KEY], accounts: Object.values(FLEET) });
  gitlabApi = await startFakeGitLab({ projectId: PROJECT_ID, mergeRequestIid: MR_IID, token: TOKEN });

  // The project's CI/CD variables (examples/gitops/README.md): fleet mode on, the key, the PostgreSQL backend.
  const home = join(scratch, "gitlab-ci-local-home");
  await mkdir(join(home, ".gitlab-ci-local"), { recursive: true });
  const projectVariables: Record<string, string> = {
    FANSLY_FLEET: "true",
    FANSLY_API_KEY: KEY,
    GITLAB_API_TOKEN: TOKEN,
    PULUMI_BACKEND_URL: postgres.url,
    PGPASSWORD: postgres.password,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    // GitLab's own, pointed at the fake.
    CI_API_V4_URL: gitlabApi.url,
    CI_PROJECT_ID: PROJECT_ID,
    CI_JOB_URL: "https://gitlab.example.com/agency/links/-/jobs/1",
  };
  await writeFile(join(home, ".gitlab-ci-local", "variables.yml"), `global:\n${Object.entries(projectVariables).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n")}\n`);

  const started = Date.now();
  const [first] = STACKS as [Stack];
  repo = await userRepo({
    scratch,
    pipelineFile: join(REPO, "examples", "gitops", "gitlab", ".gitlab-ci.yml"),
    copyTo: ".gitlab-ci.yml",
    stack: first,
    baseUrl: emulator.url,
    accountId: FLEET[first],
    env: fleetEnv({ pathFirst: [node22, pulumiBin], scratch, postgres, passphrase: PASSPHRASE }),
  });
  // The fleet as `import --all-accounts` lays it out: a stack per account, each reading its own links file.
  await makeFleet(repo, FLEET, emulator.url);
  await mkdir(join(repo.dir, ".gitlab"));
  // Where examples/gitops/README.md says to copy the child pipeline.
  await copyFile(join(REPO, "examples", "gitops", "gitlab", "fansly-fleet.yml"), join(repo.dir, ".gitlab", "fansly-fleet.yml"));
  await repo.git("add", ".gitlab", STACK_DIR);
  await repo.git("commit", "--quiet", "-m", "the fleet: a stack per account");
  await repo.git("push", "--quiet", "origin", "main");
  timings.push(`user's repository (clone, npm install, two stacks on PostgreSQL): ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await emulator.close();
  await gitlabApi.close();
  await postgres.stop();
  await rm(scratch, { recursive: true, force: true });
  console.log(`GitLab fleet pipeline timings:\n  ${timings.join("\n  ")}`);
});

describe("the fleet mode of examples/gitops/gitlab/.gitlab-ci.yml under gitlab-ci-local", () => {
  test("a merge request gets ONE note summarising every stack's preview; each job ran at its share of the key's limit", async () => {
    await repo.git("checkout", "--quiet", "-b", "promo");
    await addPromoToEveryStack(repo, FLEET);
    const run = await pipeline("merge_request_event", "merge request (fleet preview)", { CI_MERGE_REQUEST_IID: MR_IID });
    expect(verdicts(run)).toEqual(["PASS fansly-fleet-stacks", "PASS fansly:fleet:preview", "PASS fansly:stack:preview: [agency-a,0]", "PASS fansly:stack:preview: [agency-b,1]", "PASS fansly:summary:preview"]);
    expect(sharesLogged(run)).toEqual(STACKS.map((stack) => `${stack}=${SHARE_OF_TWO}`));
    const notes = gitlabApi.notes.filter((note) => !note.system);
    expect(notes).toHaveLength(1);
    const body = notes[0]?.body ?? "";
    expectPreviewSummary(body, FLEET);
    for (const account of Object.values(FLEET)) expect(labelsIn(emulator, account)).toEqual([]);
  });

  test("the push to main applies every stack: each account has exactly its declared links", async () => {
    await repo.git("checkout", "--quiet", "main");
    await repo.git("merge", "--quiet", "--ff-only", "promo");
    const run = await pipeline("push", "push to main (fleet apply)");
    expect(verdicts(run)).toEqual(["PASS fansly-fleet-stacks", "PASS fansly:fleet:apply", "PASS fansly:stack:apply: [agency-a,0]", "PASS fansly:stack:apply: [agency-b,1]"]);
    expect(sharesLogged(run)).toEqual(STACKS.map((stack) => `${stack}=${SHARE_OF_TWO}`));
    for (const stack of STACKS) expect(labelsIn(emulator, FLEET[stack])).toEqual([`${stack} bio`, `${stack} promo`]);
    // The state is in PostgreSQL: a row per stack.
    const keys = (await postgres.query("SELECT key FROM pulumi_state ORDER BY key")).split("\n");
    for (const stack of STACKS) expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`\\.pulumi/stacks/(organization/)?fansly-from-file/${stack}\\.json$`))]));
    await repo.git("push", "--quiet", "origin", "main");
  });

  test("a hand edit in one account: the scheduled drift check opens ONE issue naming that stack", async () => {
    editPromoByHand(emulator, FLEET, "agency-b");
    const run = await pipeline("schedule", "schedule (fleet drift check)");
    expect(verdicts(run)).toEqual(["FAIL fansly:stack:drift: [agency-b,1]", "FAIL fansly:summary:drift", "PASS fansly-fleet-stacks", "PASS fansly:fleet:drift", "PASS fansly:stack:drift: [agency-a,0]"]);
    expect(gitlabApi.issues).toHaveLength(1);
    expect(gitlabApi.issues[0]?.title).toBe("Fansly drift check failed: fleet");
    const body = gitlabApi.issues[0]?.notes[0] ?? "";
    expectDriftIssue(body, "agency-b", "agency-a");
  });

  test("Run pipeline with FANSLY_DESTROY=yes: the manual fleet destroy job deletes every stack's links", async () => {
    await upEveryStack(repo, emulator, FLEET, KEY);
    const run = await pipeline("web", "web pipeline, manual fleet destroy", { FANSLY_DESTROY: "yes" }, ["--manual", "fansly:fleet:destroy"]);
    expect(verdicts(run)).toEqual(["PASS fansly:fleet:destroy"]);
    expectFleetDestroyed(run, emulator, FLEET);
  });
});
