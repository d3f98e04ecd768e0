/**
 * The pipelines in examples/gitops: the GitHub workflow passes actionlint (built from the Go module proxy by
 * build-actionlint.sh, cached outside the repo), every command they call exists, every path they name exists in the
 * layout they assume, and the scripts that post the comment and report drift do so against fakes of the two APIs.
 *
 * The layout the examples assume: the user's repository is laid out like this one, with the stack in
 * examples/from-file/. Their `.github/workflows/fansly.yml` is our examples/gitops/github/workflows/fansly.yml and
 * their `.gitlab-ci.yml` is our examples/gitops/gitlab/.gitlab-ci.yml.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { runInNewContext } from "node:vm";
import { load } from "js-yaml";
import { runCli } from "../../src/cli/main";
import { parseRecoverArgs } from "../../src/cli/recoverCommand";
import type { CliIo } from "../../src/cli/io";
import { startEmulator, TrafficSimulator } from "../../src/emulator";
import { parseRuleConfig, RULES, type RuleName } from "../../src/policy/rules";
import { startFakeGitLab, type FakeGitLab } from "./fakeGitLab";

const REPO = join(__dirname, "..", "..");
const GITHUB_WORKFLOW = join(REPO, "examples", "gitops", "github", "workflows", "fansly.yml");
const GITLAB_CI = join(REPO, "examples", "gitops", "gitlab", ".gitlab-ci.yml");
/** The fleet mode's child pipeline; the user's `.gitlab/fansly-fleet.yml`. */
const GITLAB_FLEET = join(REPO, "examples", "gitops", "gitlab", "fansly-fleet.yml");
const BUILD_SCRIPT = join(__dirname, "build-actionlint.sh");
const BUILD_TIMEOUT_MS = 15 * 60_000;
const PREVIEW_FIXTURE = readFileSync(join(REPO, "test", "cli", "fixtures", "preview-mixed.txt"), "utf8");

interface GitHubStep {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  "working-directory"?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface GitHubJob {
  if?: string;
  needs?: string | string[];
  strategy?: { "fail-fast"?: boolean; "max-parallel"?: string; matrix?: Record<string, string> };
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  steps: GitHubStep[];
}
interface GitHubWorkflow {
  on: {
    pull_request?: { paths?: string[] };
    push?: { branches?: string[]; paths?: string[] };
    schedule?: { cron: string }[];
    workflow_dispatch?: unknown;
  };
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<string, GitHubJob>;
}
interface GitLabRule {
  if?: string;
  changes?: string[];
}
interface GitLabJob {
  extends?: string;
  stage?: string;
  rules?: GitLabRule[];
  resource_group?: string;
  interruptible?: boolean;
  before_script?: string[];
  script?: string[];
  after_script?: string[];
  trigger?: { include?: { local?: string; artifact?: string; job?: string }[]; strategy?: string };
  variables?: Record<string, string>;
}

const github = load(readFileSync(GITHUB_WORKFLOW, "utf8")) as GitHubWorkflow;
const gitlab = load(readFileSync(GITLAB_CI, "utf8")) as Record<string, unknown> & { variables: Record<string, string> };
const gitlabFleet = load(readFileSync(GITLAB_FLEET, "utf8")) as Record<string, unknown>;

/** A job of .gitlab-ci.yml, or of the fleet's child pipeline, with what it extends merged in (one level deep each). */
function gitlabJob(name: string): GitLabJob {
  const file = name in gitlab ? gitlab : gitlabFleet;
  const job = file[name] as GitLabJob | undefined;
  if (job === undefined) throw new Error(`neither .gitlab-ci.yml nor fansly-fleet.yml has a job ${name}`);
  const base: GitLabJob = job.extends === undefined ? {} : (file[job.extends] as GitLabJob | undefined) ?? {};
  const baseOfBase: GitLabJob = base.extends === undefined ? {} : (file[base.extends] as GitLabJob | undefined) ?? {};
  return { ...baseOfBase, ...base, ...job };
}

const GITLAB_JOBS = ["fansly:preview", "fansly:apply", "fansly:drift", "fansly:destroy"];
/** The fleet mode's jobs: the stack list and the destroy in .gitlab-ci.yml, the per-stack and summary jobs in the child pipeline. */
const GITLAB_FLEET_JOBS = ["fansly-fleet-stacks", "fansly:fleet:destroy", "fansly:stack:preview", "fansly:stack:apply", "fansly:stack:drift", "fansly:summary:preview", "fansly:summary:drift"];
/** The first rule that can run the job (the fleet-mode `when: never` rule comes first in the single-stack jobs). */
function runningRule(name: string): GitLabRule | undefined {
  return (gitlabJob(name).rules ?? []).find((rule) => (rule as { when?: string }).when !== "never");
}

/** A path as the user's repository names it → where that file is in this repository. */
function inThisRepo(path: string): string {
  const plain = path.replace(/\/\*\*(\/\*)?$/, "");
  if (plain.startsWith(".github/")) return join(REPO, "examples", "gitops", "github", plain.slice(".github/".length));
  if (plain === ".gitlab-ci.yml") return GITLAB_CI;
  if (plain === ".gitlab/fansly-fleet.yml") return GITLAB_FLEET;
  return join(REPO, plain);
}

/** What a shell passes as arguments for the words of `text`, every `$VAR` read as "0", up to a redirection or pipe. */
function shellWords(text: string): string[] {
  const expand = (s: string): string => s.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, "0");
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const inner = text.slice(i + 1, end);
      word = (word ?? "") + (c === '"' ? expand(inner) : inner);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ("<>|;&".includes(c)) {
      break;
    } else if (c === "$") {
      const variable = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/.exec(text.slice(i))?.[0] ?? "$";
      word = (word ?? "") + expand(variable);
      i += variable.length - 1;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

interface ScriptCall {
  where: string;
  /** The folder, as the user's repository names it, the command runs in. */
  cwd: string;
  script: string;
}

function githubScripts(): ScriptCall[] {
  const stackDir = github.env.STACK_DIR ?? "";
  return Object.entries(github.jobs).flatMap(([name, job]) =>
    job.steps
      .filter((step) => step.run !== undefined)
      .map((step) => ({
        where: `GitHub job ${name}`,
        cwd: (step["working-directory"] ?? ".").replace("${{ env.STACK_DIR }}", stackDir),
        script: step.run ?? "",
      })),
  );
}

function gitlabScripts(): ScriptCall[] {
  const stackDir = gitlab.variables.STACK_DIR ?? "";
  return [...GITLAB_JOBS, ...GITLAB_FLEET_JOBS].flatMap((name) => {
    const job = gitlabJob(name);
    // before_script and script share a shell; after_script starts again in the project folder.
    let cwd = ".";
    const calls: ScriptCall[] = [];
    for (const line of [...(job.before_script ?? []), ...(job.script ?? [])]) {
      if (/^cd "\$STACK_DIR"$/.test(line.trim())) cwd = stackDir;
      calls.push({ where: `GitLab job ${name}`, cwd, script: line });
    }
    for (const line of job.after_script ?? []) calls.push({ where: `GitLab job ${name} (after_script)`, cwd: ".", script: line });
    return calls;
  });
}

const ALL_SCRIPTS = [...githubScripts(), ...gitlabScripts()];

/** The command a `pulumi/actions` step runs (`up`, `destroy`, …); undefined for an install-only step or another step. */
function pulumiActionCommand(step: GitHubStep): string | undefined {
  return step.uses?.startsWith("pulumi/actions@") === true ? step.with?.command : undefined;
}

function packageJsonIn(dir: string): { scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(inThisRepo(dir), "package.json"), "utf8")) as ReturnType<typeof packageJsonIn>;
}

const scratchDirs: string[] = [];
function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

async function runOurCli(argv: string[], stdin: string, where: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: where.env ?? {},
    cwd: where.cwd ?? REPO,
    readStdin: () => Promise.resolve(stdin),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe("actionlint", () => {
  let bin = "";

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)("bash", [BUILD_SCRIPT], { timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    bin = stdout.trim().split("\n").at(-1) ?? "";
  }, BUILD_TIMEOUT_MS);

  test("finds nothing wrong with the GitHub workflow", async () => {
    const result = await promisify(execFile)(join(bin, "actionlint"), ["-no-color", "-oneline", GITHUB_WORKFLOW], { cwd: REPO }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: unknown) => {
        const failed = error as { code?: number; stdout?: string };
        return { code: failed.code ?? -1, stdout: failed.stdout ?? "" };
      },
    );
    expect(result).toEqual({ code: 0, stdout: "" });
  });

  test("does find a mistake when there is one (the lint is really running)", async () => {
    const broken = readFileSync(GITHUB_WORKFLOW, "utf8").replace("pull-requests: write", "pull-request: write");
    const child = execFile(join(bin, "actionlint"), ["-no-color", "-oneline", "-"], { cwd: REPO });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stdin?.end(broken);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(out).toContain('unknown permission scope "pull-request"');
  });
});

describe("every command the pipelines call exists", () => {
  const npxCalls = ALL_SCRIPTS.flatMap((call) => [...call.script.matchAll(/\bnpx\s+(?:--?[\w-]+\s+)*pulumi-fansly\b([^\n]*)/g)].map((m) => ({ ...call, args: shellWords(m[1] ?? "") })));
  const npmRuns = ALL_SCRIPTS.flatMap((call) => [...call.script.matchAll(/\bnpm run(?:-script)?\s+([\w:.-]+)/g)].map((m) => ({ ...call, name: m[1] ?? "" })));

  test("both pipelines call `npx pulumi-fansly preview-comment`, for the preview and for the drift check", () => {
    const where = npxCalls.filter((call) => call.args[0] === "preview-comment").map((call) => call.where);
    expect(where).toEqual(expect.arrayContaining(["GitHub job preview", "GitHub job drift", "GitLab job fansly:preview", "GitLab job fansly:drift"]));
  });

  test("each `npx pulumi-fansly …` runs in a folder whose package.json depends on pulumi-fansly", () => {
    for (const call of npxCalls) {
      const pkg = packageJsonIn(call.cwd);
      expect({ where: call.where, depends: "pulumi-fansly" in { ...pkg.dependencies, ...pkg.devDependencies } }).toEqual({ where: call.where, depends: true });
    }
  });

  test("each `npx pulumi-fansly …` names a real subcommand: preview-comment, fleet-summary, report, recover or fleet", () => {
    expect(npxCalls.length).toBeGreaterThan(0);
    for (const call of npxCalls) expect({ where: call.where, known: /^(preview-comment|fleet-summary|report|recover|fleet)$/.test(call.args[0] ?? "") }).toEqual({ where: call.where, known: true });
  });

  test("in fleet mode the by-hand destroy is `npx pulumi-fansly fleet destroy` (both forges), with flags the command takes", async () => {
    const fleets = npxCalls.filter((c) => c.args[0] === "fleet");
    expect(fleets.map((c) => `${c.where}: ${c.args[1] ?? ""}`).sort()).toEqual(["GitHub job fleet-destroy: destroy", "GitLab job fansly:fleet:destroy: destroy"]);
    // --help after the job's flags: the command parses them all (an unknown one exits 2) and runs nothing.
    for (const call of fleets) expect({ where: call.where, code: (await runOurCli([...call.args, "--help"], "")).code }).toEqual({ where: call.where, code: 0 });
  });

  test("each `npx pulumi-fansly fleet-summary …` (both forges, preview and drift) takes its flags and writes a summary", async () => {
    const calls = npxCalls.filter((c) => c.args[0] === "fleet-summary");
    expect(calls.map((c) => `${c.where} ${c.args[2] ?? ""}`).sort()).toEqual([
      "GitHub job fleet-drift-summary drift",
      "GitHub job fleet-preview-summary preview",
      "GitLab job fansly:summary:drift drift",
      "GitLab job fansly:summary:preview preview",
    ]);
    for (const call of calls) {
      // Every variable reads as "0": --reports 0 (no such folder: every stack's job left no report), --stacks 0.
      const { code, stdout, stderr } = await runOurCli(call.args, "", { cwd: scratch("gitops-fleet-summary-") });
      expect({ where: call.where, code, stderr }).toEqual({ where: call.where, code: 1, stderr: "pulumi-fansly fleet-summary: 0: no report (the job stopped before the preview)\n" });
      expect(stdout.startsWith(`<!-- pulumi-fansly:fleet-summary kind=${call.args[2] ?? ""} -->\n`)).toBe(true);
    }
  });

  test("each `npx pulumi-fansly preview-comment …` takes its flags and writes a comment", async () => {
    for (const call of npxCalls.filter((c) => c.args[0] === "preview-comment")) {
      const { code, stdout, stderr } = await runOurCli(call.args, PREVIEW_FIXTURE);
      expect({ where: call.where, args: call.args, code, stderr }).toEqual({ where: call.where, args: call.args, code: 0, stderr: "" });
      expect(stdout.startsWith("<!-- pulumi-fansly:preview-comment stack=0 -->\n")).toBe(true);
    }
  });

  test("both drift jobs run `npx pulumi-fansly report --save`, which saves a snapshot and writes the report they keep", async () => {
    const reports = npxCalls.filter((call) => call.args[0] === "report");
    expect(reports.map((call) => call.where).sort()).toEqual(["GitHub job drift", "GitLab job fansly:drift"]);
    const emulator = await startEmulator({ apiKeys: ["gitops-key"], accounts: ["fansly_gitops"] });
    try {
      emulator.store.seedLinks("fansly_gitops", 2, "Link ");
      new TrafficSimulator(emulator.store, 1).tick(10);
      for (const call of reports) {
        const cwd = scratch("gitops-report-");
        const { code, stderr } = await runOurCli(call.args, "", { cwd, env: { FANSLY_API_KEY: "gitops-key", FANSLY_API_BASE_URL: emulator.url } });
        expect({ where: call.where, code, stderr: code === 0 ? "" : stderr }).toEqual({ where: call.where, code: 0, stderr: "" });
        const saved = call.args[call.args.indexOf("--save") + 1] ?? "";
        const out = call.args[call.args.indexOf("--out") + 1] ?? "";
        expect(readdirSync(join(cwd, saved))).toEqual([expect.stringMatching(/^performance-.*\.json$/)]);
        expect(readFileSync(join(cwd, out), "utf8")).toContain("<!doctype html>");
      }
    } finally {
      await emulator.close();
    }
  });

  test("each `npx pulumi-fansly recover …` takes its flags (they are parsed exactly as the command parses them)", () => {
    const recovers = npxCalls.filter((c) => c.args[0] === "recover");
    expect(recovers.length).toBeGreaterThan(0);
    for (const call of recovers) expect({ where: call.where, parsed: parseRecoverArgs(call.args.slice(1)) }).toMatchObject({ where: call.where, parsed: { stack: "0", dryRun: false } });
  });

  test("recover runs before every `pulumi up`, `pulumi destroy` and drift check (an earlier step, or earlier in the same script)", () => {
    // GitHub: a recover step before the pulumi/actions step (a failed step stops the job), or earlier in the same script.
    const scriptedPulumi = /pulumi preview --refresh|npx pulumi-fansly fleet destroy/;
    for (const name of ["apply", "drift", "destroy", "fleet-apply", "fleet-drift", "fleet-destroy"]) {
      const steps = github.jobs[name]?.steps ?? [];
      const isPulumi = (step: GitHubStep): boolean => /^(up|destroy)$/.test(pulumiActionCommand(step) ?? "") || scriptedPulumi.test(step.run ?? "");
      const pulumiStep = steps.findIndex(isPulumi);
      const recoverStep = steps.findIndex((step) => (step.run ?? "").includes("npx pulumi-fansly recover"));
      const sameScript = recoverStep === pulumiStep && (steps[pulumiStep]?.run ?? "").indexOf("npx pulumi-fansly recover") < (steps[pulumiStep]?.run ?? "").search(scriptedPulumi);
      expect({ name, recoverFirst: pulumiStep !== -1 && recoverStep !== -1 && (recoverStep < pulumiStep || sameScript) }).toEqual({ name, recoverFirst: true });
    }
    for (const name of ["fansly:apply", "fansly:drift", "fansly:destroy", "fansly:stack:apply", "fansly:stack:drift", "fansly:fleet:destroy"]) {
      const lines = gitlabJob(name).script ?? [];
      const recoverAt = lines.findIndex((line) => line.includes("npx pulumi-fansly recover"));
      const pulumiAt = lines.findIndex((line) => /pulumi (up|destroy) |pulumi preview --refresh|npx pulumi-fansly fleet destroy/.test(line));
      expect({ name, recoverFirst: recoverAt !== -1 && recoverAt < pulumiAt }).toEqual({ name, recoverFirst: true });
    }
  });

  test("--cancel-lock only where no other job can hold the stack: GitHub's apply and destroy (one group), every GitLab job (one resource_group)", () => {
    // GitHub's fleet destroy cannot join every stack's apply group: an apply may be running, so no --cancel-lock.
    const withCancel = npxCalls.filter((c) => c.args[0] === "recover" && c.args.includes("--cancel-lock")).map((c) => c.where);
    const withoutCancel = npxCalls.filter((c) => c.args[0] === "recover" && !c.args.includes("--cancel-lock")).map((c) => c.where);
    expect(withoutCancel).toEqual(["GitHub job drift", "GitHub job fleet-drift", "GitHub job fleet-destroy"]);
    expect(withCancel).toEqual(
      expect.arrayContaining(["GitHub job apply", "GitHub job destroy", "GitHub job fleet-apply", "GitLab job fansly:apply", "GitLab job fansly:drift", "GitLab job fansly:destroy", "GitLab job fansly:stack:apply", "GitLab job fansly:stack:drift", "GitLab job fansly:fleet:destroy"]),
    );
    expect(github.jobs.destroy?.concurrency).toEqual(github.jobs.apply?.concurrency);
    expect(gitlabJob("fansly:destroy").resource_group).toBe(gitlabJob("fansly:apply").resource_group);
    // GitLab's fleet: a whole apply or drift check at a time (the trigger jobs' group), never two jobs on one stack.
    expect(gitlabJob("fansly:fleet:apply").resource_group).toBe("fansly-fleet");
    expect(gitlabJob("fansly:fleet:drift").resource_group).toBe("fansly-fleet");
    expect(gitlabJob("fansly:fleet:destroy").resource_group).toBe("fansly-fleet");
  });

  // Today neither pipeline calls `npm run` (the stack needs no build step); this keeps a future one honest.
  test("any `npm run X` names a script of the package.json where it runs", () => {
    for (const call of npmRuns) expect({ where: call.where, script: call.name, exists: call.name in (packageJsonIn(call.cwd).scripts ?? {}) }).toMatchObject({ exists: true });
  });
});

describe("every path the pipelines name exists in the layout they assume", () => {
  const githubPaths = [...(github.on.pull_request?.paths ?? []), ...(github.on.push?.paths ?? [])];
  const gitlabPaths = [...GITLAB_JOBS, "fansly-fleet-stacks", "fansly:fleet:preview", "fansly:fleet:apply"].flatMap((name) => (gitlabJob(name).rules ?? []).flatMap((rule) => rule.changes ?? []));

  test.each([...new Set([...githubPaths, ...gitlabPaths])])("%s", (path) => {
    expect(existsSync(inThisRepo(path))).toBe(true);
  });

  test("the stack folder (STACK_DIR) is a Pulumi project with its links file, the same in both pipelines", () => {
    expect(gitlab.variables.STACK_DIR).toBe(github.env.STACK_DIR);
    const stackDir = github.env.STACK_DIR ?? "";
    for (const file of ["Pulumi.yaml", "package.json", "links.yaml"]) expect(existsSync(join(inThisRepo(stackDir), file))).toBe(true);
    expect(githubPaths).toContain(`${stackDir}/**`);
  });

  test("every preview job (single stack and fleet, both forges) runs the policy pack the build makes, with the stack's house-rules.json, whose every rule config is valid", () => {
    const stackDir = github.env.STACK_DIR ?? "";
    const stepsOf = (job: string): string => github.jobs[job]?.steps.map((step) => step.run ?? "").join("\n") ?? "";
    const previewScripts = [stepsOf("preview"), stepsOf("fleet-preview"), gitlabJob("fansly:preview").script?.join("\n") ?? "", gitlabJob("fansly:stack:preview").script?.join("\n") ?? ""];
    for (const script of previewScripts) {
      expect(script).toContain("if [ -f house-rules.json ]; then set -- --policy-pack node_modules/pulumi-fansly/dist/policy --policy-pack-config house-rules.json; fi");
      expect(script).toMatch(/pulumi preview --diff --stack "\$(PULUMI_STACK|FLEET_STACK)" "\$@"/);
    }
    // The folder the pipelines name is the one `npm run build` makes a pack of (src/policy/packFolder.ts).
    expect(packageJsonIn(".").scripts?.build).toContain("node dist/policy/packFolder.js dist/policy");
    // The pack loads @pulumi/policy from the stack's node_modules.
    expect(packageJsonIn(stackDir).dependencies?.["@pulumi/policy"]).toBe(packageJsonIn(".").devDependencies?.["@pulumi/policy"]);
    const rules = JSON.parse(readFileSync(join(inThisRepo(stackDir), "house-rules.json"), "utf8")) as Record<string, unknown>;
    for (const [rule, entry] of Object.entries(rules)) {
      expect(Object.values(RULES)).toContain(rule);
      if (typeof entry === "string") continue; // an enforcement level alone
      const { enforcementLevel: _level, ...config } = entry as Record<string, unknown>;
      expect(() => parseRuleConfig(rule as RuleName, config)).not.toThrow();
    }
  });

  test("the stack's package-lock.json, which the README says to commit for `npm ci`, is not ignored by git", async () => {
    const stackDir = github.env.STACK_DIR ?? "";
    // `git check-ignore` exits 1 when no rule ignores the path (or a `!` rule takes it back).
    const ignored = await promisify(execFile)("git", ["check-ignore", "--quiet", join(stackDir, "package-lock.json")], { cwd: REPO }).then(
      () => true,
      (error: unknown) => ((error as { code?: number }).code === 1 ? false : Promise.reject(error as Error)),
    );
    expect(ignored).toBe(false);
  });
});

describe("the GitHub workflow", () => {
  const runs = (job: string): string => (github.jobs[job]?.steps ?? []).map((step) => step.run ?? "").join("\n");

  test("a pull request gets `pulumi preview --diff`; a newer push to it cancels the older preview", () => {
    expect(github.on.pull_request).toBeDefined();
    expect(github.jobs.preview?.if).toContain("github.event_name == 'pull_request'");
    expect(runs("preview")).toMatch(/pulumi preview --diff --stack "\$PULUMI_STACK"/);
    expect(github.jobs.preview?.concurrency).toEqual({ group: "fansly-preview-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
  });

  test("a preview that failed or printed no preview fails the job after its comment is posted (preview-comment exits 1)", () => {
    const steps = github.jobs.preview?.steps ?? [];
    const post = steps.findIndex((step) => step.uses?.startsWith("actions/github-script@") === true);
    const fail = steps.findIndex((step) => step.if?.includes("steps.preview.outputs.comment-exit-code != '0'") === true);
    expect(runs("preview")).toMatch(/\|\| comment_status=\$\?/);
    expect(fail).toBeGreaterThan(post);
    expect(steps[fail]?.run).toMatch(/exit 1/);
  });

  test("a push to main runs `pulumi up --yes`, and two applies never overlap", () => {
    expect(github.on.push?.branches).toEqual(["main"]);
    expect(github.jobs.apply?.if).toContain("refs/heads/main");
    expect((github.jobs.apply?.steps ?? []).map(pulumiActionCommand)).toContain("up");
    expect(github.jobs.apply?.concurrency?.["cancel-in-progress"]).toBe(false);
    expect(github.jobs.apply?.concurrency?.group).toMatch(/^fansly-apply-/);
  });

  test("a schedule runs the drift check, which fails the job and reports to an issue", () => {
    expect(github.on.schedule?.[0]?.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(github.jobs.drift?.if).toContain("github.event_name == 'schedule'");
    expect(runs("drift")).toMatch(/pulumi preview --refresh --expect-no-changes/);
    // Exit 7 is drift (pulumi 3.226+); any other failure is a check that could not run, and the issue says which.
    expect(runs("drift")).toMatch(/"\$status" -eq 7/);
    expect(runs("drift")).toMatch(/verdict=drift/);
    expect(github.jobs.drift?.steps.find((step) => step.if === "failure()")?.with?.script).toContain("github.rest.issues.create(");
  });

  test("permissions: none by default, each job only what it uses", () => {
    expect(github.permissions).toEqual({});
    expect(github.jobs.preview?.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(github.jobs.apply?.permissions).toEqual({ contents: "read" });
    expect(github.jobs.destroy?.permissions).toEqual({ contents: "read" });
    expect(github.jobs.drift?.permissions).toEqual({ contents: "read", issues: "write" });
  });

  test("every action is pinned to a full commit SHA, with its version beside it", () => {
    const uses = readFileSync(GITHUB_WORKFLOW, "utf8").match(/uses: .*/g) ?? [];
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/^uses: [\w.-]+\/[\w.-]+(?:\/[\w.-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test("pulumi/actions installs the CLI (PULUMI_VERSION) in every job that runs it and runs up and destroy in the stack folder; the preview and drift check stay ours", () => {
    // `pulumi-fansly fleet` runs the pulumi CLI too (through the Automation API).
    const runsPulumi = (job: GitHubJob): boolean => job.steps.some((step) => /(^|[\s;(])pulumi\s|pulumi-fansly fleet\s/m.test(step.run ?? "") || pulumiActionCommand(step) !== undefined);
    expect(Object.entries(github.jobs).filter(([, job]) => !runsPulumi(job)).map(([name]) => name)).toEqual(["fleet-stacks", "fleet-preview-summary", "fleet-drift-summary"]);
    for (const [name, job] of Object.entries(github.jobs).filter(([, job]) => runsPulumi(job))) {
      const install = job.steps.find((step) => step.uses?.startsWith("pulumi/actions@") === true && step.with?.command === undefined);
      expect({ name, version: install?.with?.["pulumi-version"] }).toEqual({ name, version: "${{ env.PULUMI_VERSION }}" });
      expect({ name, downloadsByHand: job.steps.some((step) => /get\.pulumi\.com/.test(step.run ?? "")) }).toEqual({ name, downloadsByHand: false });
    }
    for (const [name, command] of [["apply", "up"], ["destroy", "destroy"]] as const) {
      const step = github.jobs[name]?.steps.find((s) => pulumiActionCommand(s) === command);
      expect(step?.with).toMatchObject({ "stack-name": "${{ env.PULUMI_STACK }}", "work-dir": "${{ env.STACK_DIR }}" });
    }
    // pulumi/actions v7 comments only after a preview that succeeded (a failed one would leave the last comment,
    // maybe "no changes", standing), and fails a drift check without handing its output to the issue step.
    for (const name of ["preview", "drift", "fleet-preview", "fleet-drift"]) expect((github.jobs[name]?.steps ?? []).map(pulumiActionCommand).filter((c) => c !== undefined)).toEqual([]);
  });

  test("the API key comes from the repository secret into the environment of the Pulumi steps and the report step only, never into a script", () => {
    const steps = Object.values(github.jobs).flatMap((job) => job.steps);
    const withKey = steps.filter((step) => step.env?.FANSLY_API_KEY !== undefined);
    // preview, drift, the recover and pulumi/actions steps of apply and destroy, the drift job's performance report;
    // and in fleet mode the preview, the apply's recover and pulumi/actions steps, the drift check, and the destroy.
    expect(withKey.length).toBe(12);
    for (const step of withKey) {
      expect(step.env?.FANSLY_API_KEY).toBe("${{ secrets.FANSLY_API_KEY }}");
      // The performance report reads the API only; the Pulumi steps also need the state backend's secrets.
      if (/npx pulumi-fansly report /.test(step.run ?? "")) continue;
      expect(step.env).toMatchObject({
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      });
      const does = pulumiActionCommand(step) ?? step.run ?? "";
      expect(does).toMatch(/^(up|destroy)$|pulumi preview|npx pulumi-fansly recover/);
    }
    for (const step of steps) {
      expect(step.run ?? "").not.toMatch(/\$\{\{\s*secrets\./);
      expect(step.run ?? "").not.toMatch(/set -x|echo[^\n]*\$\{?(FANSLY_API_KEY|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE)/);
    }
  });
});

describe("the GitLab pipeline (parsed as YAML: GitLab has no offline linter)", () => {
  test("has the four jobs, each with its rule", () => {
    expect(runningRule("fansly:preview")?.if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"');
    expect(runningRule("fansly:apply")?.if).toBe('$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
    expect(gitlabJob("fansly:drift").rules?.map((rule) => rule.if)).toContain('$CI_PIPELINE_SOURCE == "schedule"');
    expect(runningRule("fansly:destroy")?.if).toBe('$CI_PIPELINE_SOURCE == "web" && $FANSLY_DESTROY == "yes"');
    // Fleet mode (FANSLY_FLEET=true) turns every single-stack job off.
    for (const name of GITLAB_JOBS) expect(gitlabJob(name).rules?.[0]).toEqual({ if: '$FANSLY_FLEET == "true"', when: "never" });
    expect(gitlab.stages).toEqual(["preview", "apply", "drift", "destroy"]);
    for (const name of GITLAB_JOBS) expect((gitlab.stages as string[]).includes(gitlabJob(name).stage ?? "")).toBe(true);
  });

  test("runs the same Pulumi commands as the GitHub workflow", () => {
    expect(gitlabJob("fansly:preview").script?.join("\n")).toMatch(/pulumi preview --diff --stack "\$PULUMI_STACK"/);
    expect(gitlabJob("fansly:apply").script?.join("\n")).toMatch(/pulumi up (--refresh )?--yes/);
    expect(gitlabJob("fansly:drift").script?.join("\n")).toMatch(/pulumi preview --refresh --expect-no-changes/);
    expect(gitlabJob("fansly:drift").script?.join("\n")).toMatch(/"\$status" -eq 7/);
    // The apply reads the links back first, so re-running it undoes a hand edit the drift check reported.
    expect(gitlabJob("fansly:apply").script?.join("\n")).toMatch(/pulumi up --refresh --yes/);
    expect(github.jobs.apply?.steps.find((step) => pulumiActionCommand(step) === "up")?.with?.refresh).toBe(true);
  });

  test("apply and the drift check share one resource_group, so they queue instead of overlapping; previews are interruptible", () => {
    expect(gitlabJob("fansly:apply").resource_group).toBe("fansly-$PULUMI_STACK");
    expect(gitlabJob("fansly:drift").resource_group).toBe(gitlabJob("fansly:apply").resource_group);
    expect(gitlabJob("fansly:preview").resource_group).toBeUndefined();
    expect(gitlabJob("fansly:preview").interruptible).toBe(true);
    expect(gitlabJob("fansly:apply").interruptible).toBe(false);
  });
});

// ------------------------------------------------------------------ the scripts that talk to GitHub and GitLab

interface FakeComment {
  id: number;
  body: string;
  user: { type: string };
  html_url: string;
}

/** Runs a workflow's actions/github-script `script` as the action does: an async body given github, context, core. */
async function runGithubScript(script: string, env: Record<string, string>, api: unknown): Promise<void> {
  const context = { repo: { owner: "agency", repo: "links" }, issue: { number: 7 }, serverUrl: "https://github.com", runId: 42 };
  const core = { info: () => undefined, warning: () => undefined };
  const sandbox = { require, github: api, context, core, process: { env } };
  await (runInNewContext(`(async () => {\n${script}\n})()`, sandbox) as Promise<void>);
}

function githubStepScript(job: string, predicate: (step: GitHubStep) => boolean): string {
  const script = github.jobs[job]?.steps.find(predicate)?.with?.script;
  if (script === undefined) throw new Error(`no github-script step found in job ${job}`);
  return script;
}

describe("the GitHub comment updates in place", () => {
  test("the first run posts the comment, the next one edits it, a human's comment is left alone", async () => {
    const dir = scratch("gitops-comment-");
    const comments: FakeComment[] = [{ id: 1, body: "<!-- pulumi-fansly:preview-comment stack=prod -->\nquoted by a human", user: { type: "User" }, html_url: "" }];
    const api = {
      paginate: async (method: (p: object) => Promise<{ data: unknown }>, params: object) => (await method(params)).data,
      rest: {
        issues: {
          listComments: () => Promise.resolve({ data: comments.map((c) => ({ ...c })) }),
          createComment: ({ body }: { body: string }) => {
            comments.push({ id: comments.length + 1, body, user: { type: "Bot" }, html_url: "" });
            return Promise.resolve({ data: { html_url: "" } });
          },
          updateComment: ({ comment_id, body }: { comment_id: number; body: string }) => {
            const comment = comments.find((c) => c.id === comment_id);
            if (comment !== undefined) comment.body = body;
            return Promise.resolve({ data: {} });
          },
        },
      },
    };
    const script = githubStepScript("preview", (step) => step.uses?.startsWith("actions/github-script@") === true);
    const file = join(dir, "comment.md");

    for (const stdin of [PREVIEW_FIXTURE, "Previewing update (prod):\nResources:\n    6 unchanged\n"]) {
      const { stdout } = await runOurCli(["preview-comment", "--stack", "prod"], stdin);
      writeFileSync(file, stdout);
      await runGithubScript(script, { COMMENT_FILE: file }, api);
    }

    expect(comments).toHaveLength(2);
    expect(comments[0]?.body).toContain("quoted by a human");
    expect(comments[1]?.body).toMatch(/: no changes$/m);
  });

  test("the drift check opens an issue, comments on it while it fails, and closes it once it passes", async () => {
    const dir = scratch("gitops-drift-");
    const issues: { number: number; title: string; state: string; comments: string[] }[] = [];
    const api = {
      paginate: async (method: (p: object) => Promise<{ data: unknown }>, params: object) => (await method(params)).data,
      rest: {
        issues: {
          listForRepo: () => Promise.resolve({ data: issues.filter((i) => i.state === "open").map((i) => ({ ...i, html_url: "" })) }),
          create: ({ title, body }: { title: string; body: string }) => {
            issues.push({ number: issues.length + 1, title, state: "open", comments: [body] });
            return Promise.resolve({ data: { html_url: "" } });
          },
          createComment: ({ issue_number, body }: { issue_number: number; body: string }) => {
            issues.find((i) => i.number === issue_number)?.comments.push(body);
            return Promise.resolve({ data: {} });
          },
          update: ({ issue_number, state }: { issue_number: number; state: string }) => {
            const issue = issues.find((i) => i.number === issue_number);
            if (issue !== undefined) issue.state = state;
            return Promise.resolve({ data: {} });
          },
        },
      },
    };
    const report = join(dir, "drift.md");
    writeFileSync(report, (await runOurCli(["preview-comment", "--title", "Drift check", "--exit-code", "7"], readFileSync(join(REPO, "test", "cli", "fixtures", "preview-drift.txt"), "utf8"))).stdout);
    const onFailure = githubStepScript("drift", (step) => step.if === "failure()");
    const onSuccess = githubStepScript("drift", (step) => step.if === "success()");

    await runGithubScript(onFailure, { REPORT_FILE: report, STACK: "prod" }, api);
    await runGithubScript(onFailure, { REPORT_FILE: report, STACK: "prod" }, api);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.title).toBe("Fansly drift check failed: stack prod");
    expect(issues[0]?.comments).toHaveLength(2);
    expect(issues[0]?.comments[0]).toMatch(/Drift check · `dev`: 1 change/);

    await runGithubScript(onSuccess, { STACK: "prod" }, api);
    expect(issues[0]?.state).toBe("closed");
  });
});

/** The fake GitLab API as the unit tests use it: project 99, merge request 5, one note a page. */
function fakeGitLab(): Promise<FakeGitLab> {
  return startFakeGitLab({ projectId: "99", mergeRequestIid: "5", token: "glpat-test", notesPerPage: 1 });
}

function inlineNodeScript(lines: readonly string[]): string {
  const script = /node --input-type=module -e '([^']*)'/.exec(lines.join("\n"))?.[1];
  if (script === undefined) throw new Error("no inline node script found");
  return script;
}

/** The drift jobs' verdict block: from its `if [ "$status" -eq 7 ]` line to the `fi` that closes it. */
function verdictBlock(script: string): string {
  const lines = script.split("\n");
  const start = lines.findIndex((line) => line.includes('"$status" -eq 7'));
  const end = lines.findIndex((line, i) => i > start && line.trim() === "fi");
  if (start < 0 || end < 0) throw new Error("no drift verdict block found");
  return lines.slice(start, end + 1).join("\n");
}

describe("the drift jobs tell drift from a check that failed", () => {
  const blocks = [
    ["GitLab", verdictBlock((gitlabJob("fansly:drift").script ?? []).join("\n"))],
    ["GitHub", verdictBlock(github.jobs.drift?.steps.find((step) => step.id === "drift")?.run ?? "")],
  ] as const;
  // pulumi's status (7: --expect-no-changes found changes, 3.226+; 255: any failure before that), preview-comment's.
  const cases = [
    [7, 0, "drift"],
    [7, 1, "drift"],
    [255, 0, "drift"],
    [1, 1, "failed"],
    [255, 1, "failed"],
    [0, 1, "failed"],
    [0, 0, "passed"],
  ] as const;

  test.each(blocks.flatMap(([forge, block]) => cases.map(([status, comment, verdict]) => [forge, status, comment, verdict, block] as const)))(
    "%s: pulumi exit %i, preview-comment exit %i → %s",
    async (_forge, status, comment, verdict, block) => {
      const dir = scratch("gitops-verdict-");
      const env = { PATH: process.env.PATH ?? "", CI_PROJECT_DIR: dir, CI_DEFAULT_BRANCH: "main", GITHUB_OUTPUT: join(dir, "output") };
      const code = await promisify(execFile)("bash", ["-c", `status=${status}; comment_status=${comment}\n${block}`], { env }).then(
        () => 0,
        (error: unknown) => (error as { code?: number }).code ?? -1,
      );
      const written = [join(dir, "drift.verdict"), join(dir, "output")].filter(existsSync).map((file) => readFileSync(file, "utf8").trim().replace(/^verdict=/, ""));
      expect({ code, written }).toEqual(verdict === "passed" ? { code: 0, written: [] } : { code: 1, written: [verdict] });
    },
  );
});

describe("the GitLab note updates in place, and drift opens an issue", () => {
  test("the first pipeline posts the note, the next edits it (found past the first page of notes)", async () => {
    const gitlabApi = await fakeGitLab();
    const dir = scratch("gitops-note-");
    const script = inlineNodeScript(gitlabJob("fansly:preview").script ?? []);
    const env = { PATH: process.env.PATH ?? "", CI_API_V4_URL: gitlabApi.url, CI_PROJECT_ID: "99", CI_MERGE_REQUEST_IID: "5", GITLAB_API_TOKEN: "glpat-test", CI_PROJECT_DIR: dir };
    try {
      for (const stdin of [PREVIEW_FIXTURE, "Previewing update (prod):\nResources:\n    6 unchanged\n"]) {
        writeFileSync(join(dir, "comment.md"), (await runOurCli(["preview-comment", "--stack", "prod"], stdin)).stdout);
        await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { env });
      }
      expect(gitlabApi.notes.filter((n) => !n.system)).toHaveLength(1);
      expect(gitlabApi.notes[1]?.body).toMatch(/^<!-- pulumi-fansly:preview-comment stack=prod -->\n[\s\S]*: no changes$/m);
    } finally {
      await gitlabApi.close();
    }
  });

  test("a failed drift check opens an issue, then comments on it", async () => {
    const gitlabApi = await fakeGitLab();
    const dir = scratch("gitops-gldrift-");
    const script = inlineNodeScript(gitlabJob("fansly:drift").after_script ?? []);
    const env = { PATH: process.env.PATH ?? "", CI_API_V4_URL: gitlabApi.url, CI_PROJECT_ID: "99", GITLAB_API_TOKEN: "glpat-test", CI_PROJECT_DIR: dir, CI_JOB_URL: "https://gitlab.example/job/1", PULUMI_STACK: "prod" };
    writeFileSync(join(dir, "drift.md"), "### 📝 Drift check · `prod`: 1 change");
    try {
      await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { env });
      await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { env });
      expect(gitlabApi.issues).toHaveLength(1);
      expect(gitlabApi.issues[0]?.title).toBe("Fansly drift check failed: stack prod");
      expect(gitlabApi.issues[0]?.notes).toHaveLength(2);
      expect(gitlabApi.issues[0]?.notes[1]).toContain("Drift check · `prod`: 1 change");
    } finally {
      await gitlabApi.close();
    }
  });
});

describe("fleet mode: the first job lists the stacks and each job's share of the key's rate limit", () => {
  /** A project folder with one Pulumi.<stack>.yaml per stack, as `import --all-accounts` lays it out. */
  function fleetFolder(stacks: readonly string[]): string {
    const dir = scratch("gitops-fleet-");
    writeFileSync(join(dir, "Pulumi.yaml"), "name: fleet\nruntime: nodejs\n");
    for (const stack of stacks) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), "config: {}\n");
    return dir;
  }

  async function runScript(shell: string, script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
    return promisify(execFile)(shell, ["-c", script], { cwd, env: { PATH: process.env.PATH ?? "", ...env } }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: unknown) => ({ code: (error as { code?: number }).code ?? -1, stderr: (error as { stderr?: string }).stderr ?? "" }),
    );
  }

  const githubList = (github.jobs["fleet-stacks"]?.steps ?? []).find((step) => step.id === "list")?.run ?? "";
  const gitlabList = (gitlabJob("fansly-fleet-stacks").script ?? []).join("\n");

  test("GitHub: 3 stacks, at most 2 jobs at once, a 600/min key → the matrix of the 3 stacks, max-parallel 2, 300/min each", async () => {
    const dir = fleetFolder(["agency-b", "agency-a", "agency-c"]);
    const output = join(dir, "github-output");
    const run = await runScript("bash", githubList, dir, { KEY_LIMIT: "600", MAX_PARALLEL: "2", STACK_DIR: dir, GITHUB_OUTPUT: output });
    expect(run.code).toBe(0);
    expect(readFileSync(output, "utf8")).toBe('stacks=["agency-a","agency-b","agency-c"]\nparallel=2\nshare=300\n');
    // The matrix jobs read them: max-parallel and the stack list from this job, the share into fansly:maxRequestsPerMinute.
    for (const name of ["fleet-preview", "fleet-apply", "fleet-drift"]) {
      expect(github.jobs[name]?.strategy).toEqual({
        "fail-fast": false,
        "max-parallel": "${{ fromJSON(needs.fleet-stacks.outputs.parallel) }}",
        matrix: { stack: "${{ fromJSON(needs.fleet-stacks.outputs.stacks) }}" },
      });
      expect((github.jobs[name]?.steps ?? []).map((step) => step.run ?? "").join("\n")).toContain('pulumi config set fansly:maxRequestsPerMinute "$SHARE"');
    }
  });

  test("GitHub: fewer stacks than max-parallel → each job's share is the key's limit over the stacks", async () => {
    const dir = fleetFolder(["solo", "duo"]);
    const output = join(dir, "github-output");
    expect((await runScript("bash", githubList, dir, { KEY_LIMIT: "1000", MAX_PARALLEL: "4", STACK_DIR: dir, GITHUB_OUTPUT: output })).code).toBe(0);
    expect(readFileSync(output, "utf8")).toMatch(/parallel=2\nshare=500\n$/);
  });

  test("GitLab: the child pipeline's matrix, one lane per job at once, and the share, as fleet-matrix.yml", async () => {
    const project = scratch("gitops-fleet-project-");
    const stackDir = join(project, "stacks");
    const dir = fleetFolder(["agency-a", "agency-b", "agency-c"]);
    await promisify(execFile)("cp", ["-R", dir, stackDir]);
    const run = await runScript("sh", gitlabList, project, { STACK_DIR: "stacks", FANSLY_KEY_REQUESTS_PER_MINUTE: "600", FANSLY_FLEET_MAX_PARALLEL: "2", CI_MERGE_REQUEST_IID: "7" });
    expect(run).toEqual({ code: 0, stderr: "" });
    expect(load(readFileSync(join(project, "fleet-matrix.yml"), "utf8"))).toEqual({
      variables: { FLEET_STACKS: "agency-a,agency-b,agency-c", FLEET_SHARE: "300", FLEET_MR_IID: "7" },
      ".fansly-fleet-matrix": {
        parallel: {
          matrix: [
            { FLEET_STACK: ["agency-a", "agency-c"], FLEET_LANE: "0" },
            { FLEET_STACK: ["agency-b"], FLEET_LANE: "1" },
          ],
        },
      },
    });
    // The child pipeline is that file with .gitlab/fansly-fleet.yml; each lane is a resource_group.
    for (const name of ["fansly:fleet:preview", "fansly:fleet:apply", "fansly:fleet:drift"]) {
      expect(gitlab[name]).toMatchObject({ extends: ".fansly-fleet-trigger" });
      expect(gitlabJob(name).trigger).toEqual({
        include: [{ local: ".gitlab/fansly-fleet.yml" }, { artifact: "fleet-matrix.yml", job: "fansly-fleet-stacks" }],
        strategy: "depend",
      });
    }
    for (const name of ["fansly:stack:preview", "fansly:stack:apply", "fansly:stack:drift"]) {
      expect(gitlabJob(name).resource_group).toBe("fansly-fleet-lane-$FLEET_LANE");
      expect((gitlabJob(name).before_script ?? []).join("\n")).toContain('pulumi config set fansly:maxRequestsPerMinute "$FLEET_SHARE"');
    }
  });

  test.each([
    ["GitHub", "bash", () => githubList, { KEY_LIMIT: "600", MAX_PARALLEL: "0" }],
    ["GitLab", "sh", () => gitlabList, { FANSLY_KEY_REQUESTS_PER_MINUTE: "600", FANSLY_FLEET_MAX_PARALLEL: "0" }],
  ] as const)("%s: a max-parallel of 0 stops the run with what to set", async (_forge, shell, script, env) => {
    const dir = fleetFolder(["a"]);
    const run = await runScript(shell, script(), dir, { ...env, STACK_DIR: ".", GITHUB_OUTPUT: join(dir, "out") });
    expect(run.code).toBe(1);
    expect(run.stderr + (existsSync(join(dir, "out")) ? readFileSync(join(dir, "out"), "utf8") : "")).not.toContain("share=");
  });
});
