/**
 * The fleet both fleet pipeline tests run (gitlabFleet.pipeline.ts, githubFleet.pipeline.ts): two stacks of the
 * examples/from-file project, one per account, each reading its own links file, as `import --all-accounts` lays a
 * fleet out; what the jobs print of their share of the key's rate limit; and what a fleet destroy leaves.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunningEmulator } from "../../src/emulator";
import type { RunningPostgres } from "../e2e/postgresServer";
import { labelsIn } from "../e2e/requestLog";
import { STACK_DIR, UserRepo, userEnv, type Run } from "./userRepo";

/** Stack → account. */
export type Fleet = Readonly<Record<string, string>>;

/** 600 a minute (the pipelines' default key limit) over min(2 stacks, 4 at once) jobs. */
export const SHARE_OF_TWO = 300;

/**
 * The user's environment in a fleet test: `pathFirst` ahead of PATH (each runner wants its own order), the state in
 * the shared PostgreSQL backend, Pulumi's home in `scratch`, no plugin downloads.
 */
export function fleetEnv(options: { pathFirst: readonly string[]; scratch: string; postgres: RunningPostgres; passphrase: string }): NodeJS.ProcessEnv {
  return userEnv({
    PATH: [...options.pathFirst, process.env.PATH ?? ""].join(":"),
    PULUMI_HOME: join(options.scratch, "pulumi-home"),
    PULUMI_BACKEND_URL: options.postgres.url,
    PGPASSWORD: options.postgres.password,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  });
}

const linksFile = (stack: string): string => `${STACK_DIR}/links.${stack}.yaml`;

/**
 * Turns the user's repository (its first stack made by userRepo) into the fleet: every other stack created and
 * configured, each stack's `linksFile` and its one-link file, all staged for the caller's commit.
 */
export async function makeFleet(repo: UserRepo, fleet: Fleet, baseUrl: string): Promise<void> {
  const inStack = new UserRepo(join(repo.dir, STACK_DIR), repo.env);
  const pulumi = async (args: string[]): Promise<void> => {
    const run = await inStack.run("pulumi", args);
    if (run.code !== 0) throw new Error(`pulumi ${args.join(" ")}: ${run.output}`);
  };
  const [, ...others] = Object.keys(fleet);
  for (const stack of others) {
    await pulumi(["stack", "init", stack, "--non-interactive"]);
    await pulumi(["config", "set", "fansly:baseUrl", baseUrl, "--stack", stack]);
    await pulumi(["config", "set", "fansly:accountId", fleet[stack] ?? "", "--stack", stack]);
  }
  for (const stack of Object.keys(fleet)) {
    await pulumi(["config", "set", "linksFile", `links.${stack}.yaml`, "--stack", stack]);
    await writeFile(join(repo.dir, linksFile(stack)), `links:\n  bio:\n    label: ${stack} bio\n`);
  }
  await repo.git("add", STACK_DIR);
}

/** What each stack's job printed of its share, sorted: "agency-a=300" for "fansly:maxRequestsPerMinute for agency-a: 300". */
export function sharesLogged(run: Run): string[] {
  return [...new Set([...run.output.matchAll(/fansly:maxRequestsPerMinute for ([\w.-]+): (\d+)\s*$/gm)].map((m) => `${m[1] ?? ""}=${m[2] ?? ""}`))].sort();
}

/** A pull / merge request's change: one new link in every stack's file, committed. */
export async function addPromoToEveryStack(repo: UserRepo, fleet: Fleet): Promise<void> {
  for (const stack of Object.keys(fleet)) await repo.appendAndCommit(linksFile(stack), `  promo:\n    label: ${stack} promo\n`, `a promo in ${stack}`);
}

/** The one preview summary a reviewer reads: every stack a row with changes, each one's new link folded in below. */
export function expectPreviewSummary(body: string, fleet: Fleet): void {
  expect(body).toMatch(/^<!-- pulumi-fansly:fleet-summary kind=preview -->\n/);
  expect(body).toContain(`### 📝 Pulumi preview · fleet of ${Object.keys(fleet).length} stacks: ${Object.keys(fleet).length} with changes`);
  for (const stack of Object.keys(fleet)) {
    expect(body).toContain(`| \`${stack}\` | 📝 changes |`);
    expect(body).toContain(`${stack} promo`);
  }
}

/** Someone edits `stack`'s promo link in the Fansly dashboard. */
export function editPromoByHand(emulator: RunningEmulator, fleet: Fleet, stack: string): void {
  const account = fleet[stack] ?? "";
  const link = emulator.store.customLinks(account).find((l) => l.label === `${stack} promo`);
  if (link === undefined) throw new Error(`no ${stack} promo link`);
  emulator.store.updateLink(account, link.id, { label: `${stack} promo (edited by hand)`, description: "" });
}

/** The one drift issue: it names the drifted stack, says the other is in sync, and shows the hand edit. */
export function expectDriftIssue(body: string, drifted: string, inSync: string): void {
  expect(body).toContain(`### ⚠️ Drift check · fleet of 2 stacks: 1 drifted (\`${drifted}\`)`);
  expect(body).toContain(`| \`${inSync}\` | ✅ in sync |`);
  expect(body).toContain(`${drifted} promo (edited by hand)`);
}

/**
 * Every stack brought up from the user's shell, not through a pipeline: the destroy tests start from links in every
 * account whether or not the apply test ran before them (`-t` runs one test alone).
 */
export async function upEveryStack(repo: UserRepo, emulator: RunningEmulator, fleet: Fleet, apiKey: string): Promise<void> {
  const inStack = new UserRepo(join(repo.dir, STACK_DIR), { ...repo.env, FANSLY_API_KEY: apiKey });
  for (const stack of Object.keys(fleet)) {
    const run = await inStack.run("pulumi", ["up", "--yes", "--skip-preview", "--stack", stack, "--non-interactive", "--color", "never"]);
    if (run.code !== 0) throw new Error(`pulumi up --stack ${stack}: ${run.output}`);
    expect(labelsIn(emulator, fleet[stack] ?? "")).toContain(`${stack} bio`);
  }
}

/** A fleet destroy: the table printed in the job's log says every stack succeeded, and no account has a link left. */
export function expectFleetDestroyed(run: Run, emulator: RunningEmulator, fleet: Fleet): void {
  const count = Object.keys(fleet).length;
  expect(run.output).toMatch(new RegExp(`${count} stacks +\\d+ +\\d+ +[\\d.]+ s +${count} succeeded, 0 failed`));
  for (const account of Object.values(fleet)) expect(labelsIn(emulator, account)).toEqual([]);
}
