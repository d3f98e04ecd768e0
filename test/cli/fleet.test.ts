/** `pulumi-fansly fleet`: what it refuses before starting any stack, and the summary table it ends with. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFleetCommand, summaryTable } from "../../src/cli/fleetCommand";
import { runCaptured } from "./capturedIo";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-fansly-fleet-"));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("fleet's command line", () => {
  test("a mistyped operation names the one meant (exit 2)", async () => {
    const { code, stderr } = await runCaptured(runFleetCommand, ["destory"], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('unknown operation "destory"; did you mean destroy');
  });

  test("a project without stacks says how to make them (exit 2)", async () => {
    await writeFile(join(dir, "Pulumi.yaml"), "name: agency\nruntime: nodejs\n");
    const { code, stderr } = await runCaptured(runFleetCommand, ["preview"], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain("run `pulumi-fansly import --all-accounts` there first");
  });

  test("--stacks naming a stack the project does not have is refused, listing the ones it has", async () => {
    await writeFile(join(dir, "Pulumi.studio.yaml"), "config: {}\n");
    const { code, stderr } = await runCaptured(runFleetCommand, ["up", "--stacks", "studoi"], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain("no Pulumi.studoi.yaml");
    expect(stderr).toContain("its stacks: studio");
  });

  test("--concurrency must be a whole number of 1 or more", async () => {
    const { code, stderr } = await runCaptured(runFleetCommand, ["up", "--concurrency", "0"], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain("--concurrency must be a whole number, 1 or more");
  });
});

describe("the summary table", () => {
  test("a row per stack (stack, links, requests, time, result), then the totals", () => {
    const table = summaryTable(
      [
        { stack: "studio", result: "succeeded", links: 200, requests: 203, ms: 41_250, changes: { create: 200 } },
        { stack: "broken", result: "failed", links: 0, requests: 1, ms: 3_000, changes: {}, message: "error: 404" },
      ],
      44_000,
    );
    expect(table.split("\n")).toEqual([
      "stack     links  requests    time  result",
      "--------  -----  --------  ------  ---------------------",
      "studio      200       203  41.3 s  succeeded",
      "broken        0         1   3.0 s  failed",
      "--------  -----  --------  ------  ---------------------",
      "2 stacks    200       204  44.0 s  1 succeeded, 1 failed",
      "",
    ]);
  });
});
