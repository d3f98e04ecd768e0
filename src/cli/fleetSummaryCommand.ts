import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { EXIT_FAILURE, EXIT_OK, parseFlags, UsageError } from "../flags";
import { needsALook, renderFleetSummary, type FleetRunKind, type StackReport } from "./fleetSummary";
import type { CliIo, Subcommand } from "./io";
import { GITHUB_COMMENT_MAX_CHARS, MIN_COMMENT_CHARS } from "./previewComment";
import { runUrlFromEnv } from "./previewCommentCommand";
import { subcommand } from "./subcommand";

const PREFIX = "pulumi-fansly fleet-summary";
const KINDS: readonly FleetRunKind[] = ["preview", "drift"];
/** Pulumi's own rule for a stack name, which is also each report's file name: nothing else is read as one. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

const USAGE = `usage: pulumi-fansly fleet-summary --kind preview|drift --reports DIR [options] > summary.md

One comment for a fleet: every stack of a project previewed (or drift-checked) by its own CI job. Reads, for each
stack, DIR/<stack>.txt (what \`pulumi preview\` printed) and DIR/<stack>.exit (its exit status); writes Markdown on
stdout: a table of every stack and what it found, then the stacks that changed, drifted or failed, each with its own
preview folded away, as many as fit in --max-chars. Its first line is a hidden marker
(<!-- pulumi-fansly:fleet-summary kind=KIND -->): find the comment by it to update it on the next run.

Exit status: 0 when every stack was previewed (drift: every stack is in sync); 1 when any stack drifted, failed, or
left no report (the summary is still written, and names them); 2 for a usage error.

options:
  --kind KIND        preview (pull request) or drift (the scheduled check)
  --reports DIR      the folder holding each stack's <stack>.txt and <stack>.exit
  --stacks A,B,...   the stacks the run was for: one without a report is named, never read as "no changes"
                     (default: the stacks DIR has reports of)
  --run-url URL      link to the run (default: this GitHub Actions run or GitLab job, from the environment)
  --max-chars N      longest summary, in characters (default ${GITHUB_COMMENT_MAX_CHARS}, GitHub's limit; at least ${MIN_COMMENT_CHARS})
  -h, --help         show this help
`;

const FLAGS = {
  kind: { type: "string" },
  reports: { type: "string" },
  stacks: { type: "string" },
  "run-url": { type: "string" },
  "max-chars": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

interface FleetSummaryArgs {
  kind: FleetRunKind;
  reports: string;
  stacks: string[] | undefined;
  runUrl: string | undefined;
  maxChars: number;
}

/** `pulumi-fansly fleet-summary --kind drift --reports reports/`: one summary of a fleet's jobs on stdout. */
export const runFleetSummary: Subcommand = subcommand({
  prefix: PREFIX,
  usage: USAGE,
  parse: parseFleetSummaryArgs,
  run: fleetSummary,
});

function parseFleetSummaryArgs(argv: readonly string[], env: NodeJS.ProcessEnv): FleetSummaryArgs | "help" {
  const values = parseFlags(argv, FLAGS, "--kind drift --reports reports");
  if (values.help === true) return "help";
  const kind = KINDS.find((k) => k === values.kind);
  if (kind === undefined) throw new UsageError(`--kind must be ${KINDS.join(" or ")}, got ${JSON.stringify(values.kind ?? "")}`);
  if (values.reports === undefined || values.reports.trim() === "") throw new UsageError("--reports is required: the folder holding each stack's <stack>.txt and <stack>.exit");
  let stacks: string[] | undefined;
  if (values.stacks !== undefined) {
    stacks = values.stacks.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const bad = stacks.find((s) => !STACK_NAME.test(s));
    if (bad !== undefined) throw new UsageError(`--stacks: ${JSON.stringify(bad)} is not a stack name (letters, digits, "_", "." and "-")`);
  }
  let maxChars = GITHUB_COMMENT_MAX_CHARS;
  if (values["max-chars"] !== undefined) {
    maxChars = /^\d+$/.test(values["max-chars"]) ? Number(values["max-chars"]) : 0;
    if (maxChars < MIN_COMMENT_CHARS) throw new UsageError(`--max-chars must be a whole number of at least ${MIN_COMMENT_CHARS}`);
  }
  const runUrl = values["run-url"] ?? runUrlFromEnv(env);
  return { kind, reports: values.reports, stacks, runUrl: runUrl === "" ? undefined : runUrl, maxChars };
}

async function readIfThere(path: string): Promise<string | undefined> {
  return readFile(path, "utf8").catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  });
}

async function readReports(dir: string, shownAs: string, stacks: string[] | undefined): Promise<StackReport[]> {
  const names = await readdir(dir).catch((error: unknown) => {
    // No folder at all: every job stopped before its report (or none ran); with --stacks, each is named below.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && stacks !== undefined) return [];
    throw new UsageError(`--reports ${shownAs}: cannot read the folder (${(error as Error).message})`);
  });
  const found = names.filter((n) => n.endsWith(".txt")).map((n) => n.slice(0, -".txt".length)).filter((s) => STACK_NAME.test(s));
  const wanted = stacks ?? found.sort();
  if (wanted.length === 0) throw new UsageError(`--reports ${shownAs} holds no <stack>.txt report, and --stacks names none`);
  return Promise.all(
    wanted.map(async (stack) => {
      const output = await readIfThere(join(dir, `${stack}.txt`));
      const exitText = (await readIfThere(join(dir, `${stack}.exit`)))?.trim();
      const exitCode = exitText !== undefined && /^\d+$/.test(exitText) ? Number(exitText) : undefined;
      return { stack, output, exitCode };
    }),
  );
}

async function fleetSummary(args: FleetSummaryArgs, io: CliIo): Promise<number> {
  const reports = await readReports(resolve(io.cwd, args.reports), args.reports, args.stacks);
  const { text, results } = renderFleetSummary(reports, { kind: args.kind, maxChars: args.maxChars, ...(args.runUrl === undefined ? {} : { runUrl: args.runUrl }) });
  io.stdout(text);
  const flagged = results.filter((r) => needsALook(r.outcome));
  for (const result of flagged) io.stderr(`${PREFIX}: ${result.report.stack}: ${result.outcome === "missing" ? "no report (the job stopped before the preview)" : result.outcome}\n`);
  return flagged.length === 0 ? EXIT_OK : EXIT_FAILURE;
}
