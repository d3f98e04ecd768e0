/**
 * `pulumi-fansly fleet preview|up|destroy|drift [--concurrency N]`: one operation over every stack of a project (a
 * stack per account, as `import --all-accounts` lays it out), a few at a time, within one key's requests-per-minute.
 * A progress line per stack on stderr, a summary table on stdout, exit 1 if any stack failed.
 */
import { resolve } from "node:path";
import { EXIT_FAILURE, EXIT_OK, parseFlags, UsageError } from "../flags";
import { DEFAULT_MAX_REQUESTS_PER_MINUTE } from "../client/internal/rateLimit";
import { startRateCoordinator } from "../client/internal/rateCoordinator";
import { closestName } from "../fields";
import { FLEET_OPERATIONS, STACK_NAME_PATTERN, stacksIn, type FleetOperation } from "./fleetLayout";
import type { StackOutcome } from "./fleetRun";
import type { CliIo, Subcommand } from "./io";
import { nonEmpty, stringFlag } from "./apiAccess";
import { subcommand } from "./subcommand";

const PREFIX = "pulumi-fansly fleet";
/** Exit status of a drift check that found a stack differing from its program (and none failing). */
const EXIT_DRIFT = 3;

const FLEET_USAGE = `usage: pulumi-fansly fleet preview|up|destroy|drift [--concurrency N] [options]

Runs one Pulumi operation over every stack of a project (its Pulumi.<stack>.yaml files), N at a time, through
Pulumi's Automation API. The stacks share the key's requests-per-minute: a coordinator this command starts hands
out the slots, so N stacks together never send more than the limit. A stack that fails does not stop the others.

  preview   pulumi preview                          up        pulumi up --yes --skip-preview
  destroy   pulumi destroy --yes                    drift     pulumi preview --refresh, failing on any change

options:
  --concurrency <n>             stacks at once; default: one per CPU core (up to twice that while the key's
                                rate, not the machine, holds them back: the extra stacks start while others wait)
  --dir <folder>                the project (holds Pulumi.yaml); default: the current folder
  --stacks <a,b,…>              only these stacks; default: every Pulumi.<stack>.yaml in the folder
  --max-requests-per-minute <n> the key's limit, shared by every stack; default: FANSLY_MAX_REQUESTS_PER_MINUTE,
                                else ${DEFAULT_MAX_REQUESTS_PER_MINUTE} (apifansly's Starter plan; Pro: 1000)
  -h, --help                    this text

The \`pulumi\` CLI on PATH runs each stack, with this environment (FANSLY_API_KEY, PULUMI_CONFIG_PASSPHRASE,
PULUMI_BACKEND_URL…). A progress line per stack goes to stderr, the summary table to stdout.
Exit codes: 0 every stack succeeded, 1 a stack failed, ${EXIT_DRIFT} drift found (no failure), 2 usage.
`;

interface FleetOptions {
  operation: FleetOperation;
  concurrency: number | undefined;
  dir: string | undefined;
  stacks: string[] | undefined;
  maxRequestsPerMinute: number;
}

const FLEET_FLAGS = {
  concurrency: { type: "string" },
  dir: { type: "string" },
  stacks: { type: "string" },
  "max-requests-per-minute": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

export const runFleetCommand: Subcommand = subcommand({
  prefix: PREFIX,
  usage: FLEET_USAGE,
  parse: parseFleetArgs,
  run: runFleetOperation,
});

function parseFleetArgs(argv: readonly string[], env: NodeJS.ProcessEnv): FleetOptions | "help" {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") {
    if (first === undefined) throw new UsageError(`name an operation: ${FLEET_OPERATIONS.join(", ")}`);
    return "help";
  }
  const operation = FLEET_OPERATIONS.find((known) => known === first);
  if (operation === undefined) {
    const near = closestName(first, FLEET_OPERATIONS);
    throw new UsageError(`unknown operation "${first}"${near === undefined ? "" : `; did you mean ${near}?`} (${FLEET_OPERATIONS.join(", ")})`);
  }
  const values = parseFlags(rest, FLEET_FLAGS, "--concurrency 2");
  if (values.help === true) return "help";
  const stacks = stringFlag(values.stacks)?.split(",").map((stack) => stack.trim()).filter((stack) => stack !== "");
  const bad = stacks?.find((stack) => !STACK_NAME_PATTERN.test(stack));
  if (bad !== undefined) throw new UsageError(`--stacks: "${bad}" is not a stack name (letters, digits, _, . or -)`);
  const limitText = stringFlag(values["max-requests-per-minute"]) ?? nonEmpty(env.FANSLY_MAX_REQUESTS_PER_MINUTE);
  return {
    operation,
    concurrency: wholeFlag("--concurrency", stringFlag(values.concurrency)),
    dir: stringFlag(values.dir),
    stacks,
    maxRequestsPerMinute: wholeFlag("--max-requests-per-minute (or FANSLY_MAX_REQUESTS_PER_MINUTE)", limitText) ?? DEFAULT_MAX_REQUESTS_PER_MINUTE,
  };
}

function wholeFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) throw new UsageError(`${name} must be a whole number, 1 or more`);
  return value;
}

async function runFleetOperation(options: FleetOptions, io: CliIo): Promise<number> {
  const projectDir = resolve(io.cwd, options.dir ?? ".");
  const found = await stacksIn(projectDir);
  const stacks = options.stacks ?? found;
  const missing = stacks.filter((stack) => !found.includes(stack));
  if (missing.length > 0) throw new UsageError(`--stacks: no Pulumi.${missing[0] ?? ""}.yaml in ${projectDir} (its stacks: ${found.join(", ") || "none"})`);
  if (stacks.length === 0) {
    throw new UsageError(`no Pulumi.<stack>.yaml in ${projectDir}: run \`pulumi-fansly import --all-accounts\` there first, or pass --dir <project>`);
  }
  // Loaded here: the Automation API is a large module the other commands do not need.
  const { defaultConcurrency, runFleet } = await import("./fleetRun");
  const concurrency = options.concurrency ?? defaultConcurrency();
  const coordinator = await startRateCoordinator(options.maxRequestsPerMinute);
  io.stderr(`${PREFIX}: ${options.operation} of ${stacks.length} stacks, ${concurrency} at a time, sharing ${options.maxRequestsPerMinute} requests a minute\n`);
  const started = Date.now();
  let outcomes: StackOutcome[];
  try {
    outcomes = await runFleet({
      projectDir,
      stacks,
      operation: options.operation,
      concurrency,
      coordinator,
      onStart: (stack) => { io.stderr(`${PREFIX}: ${stack}: ${options.operation} started\n`); },
      onDone: (outcome, done) => { io.stderr(`${PREFIX}: [${done}/${stacks.length}] ${progressLine(outcome)}\n`); },
    });
  } finally {
    await coordinator.close();
  }
  io.stdout(summaryTable(outcomes, Date.now() - started));
  for (const failed of outcomes.filter((outcome) => outcome.result === "failed")) {
    io.stderr(`${PREFIX}: ${failed.stack} failed:\n${indent(failed.message ?? "")}\n`);
  }
  if (outcomes.some((outcome) => outcome.result === "failed")) return EXIT_FAILURE;
  return outcomes.some((outcome) => outcome.result === "drift") ? EXIT_DRIFT : EXIT_OK;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function changes(outcome: StackOutcome): string {
  const shown = Object.entries(outcome.changes).filter(([, count]) => count > 0).map(([op, count]) => `${op} ${count}`);
  return shown.length === 0 ? "" : ` (${shown.join(", ")})`;
}

function progressLine(outcome: StackOutcome): string {
  return `${outcome.stack}: ${outcome.result}, ${outcome.links} links, ${outcome.requests} requests, ${seconds(outcome.ms)}${changes(outcome)}`;
}

/** The summary: a row per stack, then the totals. */
export function summaryTable(outcomes: readonly StackOutcome[], wallMs: number): string {
  const header = ["stack", "links", "requests", "time", "result"];
  const rows = outcomes.map((o) => [o.stack, String(o.links), String(o.requests), seconds(o.ms), o.result]);
  const count = (result: string): number => outcomes.filter((o) => o.result === result).length;
  const total = [
    `${outcomes.length} stacks`,
    String(outcomes.reduce((sum, o) => sum + o.links, 0)),
    String(outcomes.reduce((sum, o) => sum + o.requests, 0)),
    seconds(wallMs),
    [`${count("succeeded")} succeeded`, `${count("failed")} failed`, ...(count("drift") > 0 ? [`${count("drift")} drift`] : [])].join(", "),
  ];
  const all = [header, ...rows, total];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  const line = (row: readonly string[]): string =>
    row.map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ").trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return `${[line(header), rule, ...rows.map(line), rule, line(total)].join("\n")}\n`;
}

function indent(text: string): string {
  return text.split("\n").map((line) => `  ${line}`).join("\n");
}
