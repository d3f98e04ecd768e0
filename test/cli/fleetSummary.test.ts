/**
 * `pulumi-fansly fleet-summary`: the one comment (or drift issue) a fleet's CI run leaves, read from the reports
 * each stack's job kept. The previews are real output of the Pulumi CLI (test/cli/fixtures/README.md).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/main";
import { runCaptured, type CliRun } from "./capturedIo";

const fixture = (name: string): string => readFileSync(join(__dirname, "fixtures", `preview-${name}.txt`), "utf8");

let reports: string;

beforeEach(async () => {
  reports = await mkdtemp(join(tmpdir(), "fleet-summary-"));
});

afterEach(async () => {
  await rm(reports, { recursive: true, force: true });
});

async function report(stack: string, output: string, exitCode: number): Promise<void> {
  await writeFile(join(reports, `${stack}.txt`), output);
  await writeFile(join(reports, `${stack}.exit`), `${exitCode}\n`);
}

function fleetSummary(args: string[]): Promise<CliRun> {
  return runCaptured(runCli, ["fleet-summary", "--reports", reports, ...args]);
}

/** The table row of `stack`. */
function row(summary: string, stack: string): string | undefined {
  return summary.split("\n").find((line) => line.startsWith(`| \`${stack}\` |`));
}

describe("the drift summary", () => {
  test("names the drifted stack in its headline and table, and exits 1; the stacks in sync stay one row each", async () => {
    await report("agency-a", fixture("none"), 0);
    await report("agency-b", fixture("drift"), 7);
    await report("agency-c", fixture("none"), 0);
    const run = await fleetSummary(["--kind", "drift"]);
    expect(run.code).toBe(1);
    const [marker, headline] = run.stdout.split("\n\n");
    expect(marker).toBe("<!-- pulumi-fansly:fleet-summary kind=drift -->");
    expect(headline).toBe("### ⚠️ Drift check · fleet of 3 stacks: 1 drifted (`agency-b`)");
    expect(row(run.stdout, "agency-b")).toMatch(/⚠️ drifted/);
    expect(row(run.stdout, "agency-a")).toMatch(/✅ in sync/);
    // Only the drifted stack's diff is folded in.
    expect(run.stdout.match(/<details><summary>`agency-/g)).toHaveLength(1);
    expect(run.stderr).toBe("pulumi-fansly fleet-summary: agency-b: drifted\n");
  });

  test("a stack whose job left no report is named as such, never read as in sync", async () => {
    await report("agency-a", fixture("none"), 0);
    const run = await fleetSummary(["--kind", "drift", "--stacks", "agency-a,agency-b"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("1 without a report (`agency-b`)");
    expect(row(run.stdout, "agency-b")).toMatch(/❓ no report/);
  });

  test("every stack in sync: exit 0, one line says so", async () => {
    await report("agency-a", fixture("none"), 0);
    await report("agency-b", fixture("none"), 0);
    const run = await fleetSummary(["--kind", "drift"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("### ✅ Drift check · fleet of 2 stacks: every stack in sync");
  });
});

describe("the preview summary", () => {
  test("one comment: each stack's counts in the table, the changed stacks' previews folded, a failed one first", async () => {
    await report("agency-a", fixture("mixed"), 0);
    await report("agency-b", fixture("none"), 0);
    await report("agency-c", fixture("error"), 255);
    const run = await fleetSummary(["--kind", "preview"]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")[0]).toBe("<!-- pulumi-fansly:fleet-summary kind=preview -->");
    expect(run.stdout).toContain("### ❌ Pulumi preview · fleet of 3 stacks: 1 failed (`agency-c`)");
    expect(row(run.stdout, "agency-b")).toBe("| `agency-b` | ✅ no changes | 0 | 0 | 0 | 0 |");
    expect(row(run.stdout, "agency-a")).toMatch(/^\| `agency-a` \| 📝 changes \| 2 \| 2 \| 1 \| 1 \|$/);
    const folded = [...run.stdout.matchAll(/<details><summary>`([^`]+)`/g)].map((m) => m[1]);
    expect(folded).toEqual(["agency-c", "agency-a"]);
    expect(run.stdout).toContain("Reddit post #4");
  });

  test("changes only: exit 0", async () => {
    await report("agency-a", fixture("mixed"), 0);
    const run = await fleetSummary(["--kind", "preview"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("### 📝 Pulumi preview · fleet of 1 stack: 1 with changes");
  });

  test("never longer than --max-chars: the table stays, the details that do not fit are counted", async () => {
    for (const stack of ["a", "b", "c", "d", "e", "f"]) await report(stack, fixture("mixed"), 0);
    const run = await fleetSummary(["--kind", "preview", "--max-chars", "6000", "--run-url", "https://ci.example/run/1"]);
    expect(run.stdout.length).toBeLessThanOrEqual(6000);
    for (const stack of ["a", "b", "c", "d", "e", "f"]) expect(row(run.stdout, stack)).toBeDefined();
    expect(run.stdout).toMatch(/> The details of \d more stacks? do not fit here: \[the run\]\(https:\/\/ci\.example\/run\/1\) has them\./);
  });
});

describe("flags", () => {
  test("an unknown --kind names the two there are", async () => {
    const run = await fleetSummary(["--kind", "apply"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--kind must be preview or drift, got "apply"');
  });
});
