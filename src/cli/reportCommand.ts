/**
 * `pulumi-fansly report [--account <id>]… [--format table|csv|json|html] [--out FILE] [--save DIR]`: which links
 * bring subscribers and money, across accounts. Reads only (GET): the key's accounts once, each account's links
 * once. Progress and problems go to stderr; the report to stdout or --out.
 */
import { resolve } from "node:path";
import { EXIT_OK, parseFlags } from "../flags";
import { FanslyError, type FanslyLogEvent } from "../client";
import { checkReportOutput, createReport, renderCsv, renderHtml, renderJson, renderTable, writeTogether, type OutputFile, type PerformanceReport } from "../report";
import {
  API_ACCESS_FLAGS,
  API_ACCESS_HELP,
  API_KEY_HELP,
  apiAccessFrom,
  apiSubcommand,
  checkAccountFlag,
  clientFor,
  stringFlag,
  UsageError,
  type ApiAccess,
} from "./apiAccess";
import type { CliIo, Subcommand } from "./io";
import { plural } from "../plural";

const PREFIX = "pulumi-fansly report";
const FORMATS = ["table", "csv", "json", "html"] as const;
type ReportFormat = (typeof FORMATS)[number];
/** The table's money line is "Gross and Net in <name>." within 80 columns; no control, format or bidi character. */
const MAX_MONEY_UNIT_LENGTH = 40;
const MONEY_UNIT_NAME = new RegExp(`^(?=\\S)[^\\p{C}]{1,${MAX_MONEY_UNIT_LENGTH}}$`, "u");
const RENDERERS: Record<ReportFormat, (report: PerformanceReport) => string> = { table: renderTable, csv: renderCsv, json: renderJson, html: renderHtml };

const REPORT_USAGE = `usage: pulumi-fansly report [--account <id>]... [--format table|csv|json|html] [--out <file>] [--save <dir>]
                            [--money-unit <n>]

Per tracking link, across accounts: clicks, claims, follows, subscriptions, gross and net (in Fansly's raw
integer units), claims per click, subscriptions per claim and net per click, with totals per account and overall,
best first (net, then subscriptions). Fansly's built-in For You / Search / Suggestions are shown apart. GET only.

options:
  --account <id>     an account to report (repeatable); default: every account the key can use
  --format <f>       table (default; fits 80 columns), csv, json, or html (one self-contained file with charts);
                     default: from --out's extension (.csv, .json, .html), else table
  --out <file>       write the report there instead of stdout
  --save <dir>       keep a dated snapshot (performance-<time>.json) in <dir>, and show the change since the
                     previous snapshot and since 7 and 30 days ago when <dir> holds them. <dir> holds only snapshots
  --money-unit <n>   what Fansly's money integers are in, e.g. "USD cents", shown with gross and net; the API does
                     not say, so the default is "Fansly's raw integer units". Names only: no figure is converted
${API_ACCESS_HELP}
  -h, --help         this text

${API_KEY_HELP}
Exit codes: 0 done, 2 usage (a flag or FANSLY_API_KEY to fix), 1 failure (the message says what to do).
`;

interface ReportOptions extends ApiAccess {
  accounts: string[];
  format: ReportFormat;
  out: string | undefined;
  save: string | undefined;
  moneyUnit: string | undefined;
}

/** The subcommand. Never throws: every failure is one line on stderr and an exit code, with nothing written. */
export const runReportCommand: Subcommand = apiSubcommand({
  prefix: PREFIX,
  usage: REPORT_USAGE,
  parse: parseReportArgs,
  run: report,
  describeFailure,
});

const REPORT_FLAGS = {
  account: { type: "string", multiple: true },
  format: { type: "string" },
  out: { type: "string", short: "o" },
  save: { type: "string" },
  "money-unit": { type: "string" },
  ...API_ACCESS_FLAGS,
  help: { type: "boolean", short: "h" },
} as const;

function parseReportArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ReportOptions | "help" {
  const values = parseFlags(argv, REPORT_FLAGS, "--account fansly_…");
  if (values.help === true) return "help";
  const accounts = values.account ?? [];
  accounts.forEach(checkAccountFlag);
  const out = stringFlag(values.out);
  if (out?.trim() === "") throw new UsageError("--out needs a file name, e.g. --out report.html");
  const save = stringFlag(values.save);
  if (save?.trim() === "") throw new UsageError("--save needs a folder, e.g. --save performance-snapshots");
  const moneyUnit = stringFlag(values["money-unit"]);
  if (moneyUnit !== undefined && !MONEY_UNIT_NAME.test(moneyUnit)) {
    throw new UsageError(`--money-unit needs a short name of up to ${MAX_MONEY_UNIT_LENGTH} printable characters, e.g. --money-unit "USD cents"`);
  }
  const format = stringFlag(values.format);
  if (format !== undefined && !isFormat(format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
  return { accounts, format: format ?? formatOf(out), out, save, moneyUnit, ...apiAccessFrom(values, env) };
}

function isFormat(text: string): text is ReportFormat {
  return (FORMATS as readonly string[]).includes(text);
}

function formatOf(out: string | undefined): ReportFormat {
  const extension = /\.(\w+)$/.exec(out ?? "")?.[1]?.toLowerCase();
  if (extension === "htm") return "html";
  return extension !== undefined && extension !== "table" && isFormat(extension) ? extension : "table";
}

async function report(options: ReportOptions, io: CliIo): Promise<number> {
  const logger = (event: FanslyLogEvent): void => {
    if (event.type === "retry") io.stderr(`${PREFIX}: ${event.message}\n`);
  };
  const out = options.out === undefined ? undefined : { path: resolve(io.cwd, options.out), shownAs: options.out };
  const saveDir = options.save === undefined ? undefined : { path: resolve(io.cwd, options.save), shownAs: options.save };
  // Before any request: a target that cannot be written costs no API credit.
  if (out !== undefined) await checkReportOutput(out, saveDir);
  const client = clientFor(options, logger);
  let created: Awaited<ReturnType<typeof createReport>>;
  try {
    created = await createReport({
      client,
      accounts: options.accounts,
      ...(options.moneyUnit === undefined ? {} : { moneyUnit: options.moneyUnit }),
      ...(saveDir === undefined ? {} : { saveDir }),
      note: (line) => { io.stderr(`${PREFIX}: ${line}\n`); },
    });
  } finally {
    await client.close();
  }
  const text = RENDERERS[options.format](created.report);
  const files: OutputFile[] = [
    ...(out === undefined ? [] : [{ ...out, text }]),
    ...(created.snapshot === undefined ? [] : [created.snapshot]),
  ];
  await writeTogether(files);
  if (options.out === undefined) io.stdout(text);
  const links = created.report.links.length;
  const done = [
    `${plural(links, "link")} in ${plural(created.report.accounts.length, "account")}`,
    ...(options.out === undefined ? [] : [`${options.format} written to ${options.out}`]),
    ...(options.save === undefined ? [] : [`snapshot saved in ${options.save}${compared(created.report)}`]),
  ];
  io.stderr(`${PREFIX}: ${done.join("; ")}\n`);
  return EXIT_OK;
}

function compared(report: PerformanceReport): string {
  return report.comparisons.length === 0 ? " (the first: changes show from the next run)" : ` (compared with the ${report.comparisons.map((c) => c.title).join(", ")})`;
}

/** One line: a report runs on a schedule, and its failure is read from a CI log. */
function describeFailure(error: unknown): string {
  return whyItFailed(error).replace(/\s*\n\s*/g, " ");
}

function whyItFailed(error: unknown): string {
  if (error instanceof FanslyError) return error.message;
  if ((error as NodeJS.ErrnoException).syscall !== undefined) return `${(error as Error).message}: check that --out's and --save's folders exist and are writable`;
  if (error instanceof Error) return error.message;
  return String(error);
}

