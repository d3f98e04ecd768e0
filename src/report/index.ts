/**
 * The performance report: which links bring subscribers and money, across accounts. `createReport` reads (the
 * snapshot folder first, then the API), `render*` turn the result into table, CSV, JSON or HTML, and
 * `writeTogether` writes the outputs all or nothing. `runReport` is the whole thing for the demo.
 */
import { join } from "node:path";
import { FanslyClient, type FanslyClientOptions } from "../client";
import { checkOutputTarget, isInsideFolder, OutputFileError, writeTogether, type OutputFile } from "../outputFiles";
import { chooseAccounts, listAccounts } from "./collect";
import { ReportError } from "./errors";
import { buildReport, type PerformanceReport } from "./model";
import { chooseBaselines, readSnapshotFolder, snapshotFileName, snapshotOf, SnapshotSchema, snapshotText, type AccountListing } from "./snapshots";
import { renderTable } from "./table";
import { renderHtml } from "./html";

export { renderTable } from "./table";
export { renderCsv, renderJson } from "./dataFormats";
export { renderHtml } from "./html";
export type { PerformanceReport } from "./model";
export { writeTogether, type OutputFile } from "../outputFiles";

export interface ReportRequest {
  client: FanslyClient;
  /** Accounts to report; default every account of the key. */
  accounts?: readonly string[];
  /** The snapshot folder (`--save`): read for comparisons before any request, and where this run's snapshot goes. */
  saveDir?: { path: string; shownAs: string };
  now?: Date;
  /** What Fansly's money integers are in, when the user knows (`--money-unit`); default MONEY_UNIT. */
  moneyUnit?: string;
  /** One-line notes for the user (an account with no links yet, progress). */
  note?: (line: string) => void;
}

export interface CreatedReport {
  report: PerformanceReport;
  /** This run's snapshot, to write with the other outputs; only with `saveDir`. */
  snapshot: OutputFile | undefined;
  listings: AccountListing[];
}

export async function createReport(request: ReportRequest): Promise<CreatedReport> {
  const now = request.now ?? new Date();
  // The folder first: a bad file fails before any request is made (and before any API credit is spent).
  const history = request.saveDir === undefined ? [] : await readSnapshotFolder(request.saveDir.path, request.saveDir.shownAs, now);
  const accountIds = await chooseAccounts(request.client, request.accounts);
  request.note?.(`listing the tracking links of ${accountIds.length === 1 ? accountIds[0] ?? "" : `${accountIds.length} accounts`} (GET only)…`);
  const listings = await listAccounts(request.client, accountIds);
  const empty = listings.filter((listing) => listing.links.every((link) => link.builtIn)).map((listing) => listing.accountId);
  if (empty.length === listings.length) {
    throw new ReportError(`${empty.join(", ")} ${empty.length === 1 ? "has" : "have"} no tracking links of ${empty.length === 1 ? "its" : "their"} own yet (only Fansly's built-in For You, Search and Suggestions): create links (a TrackingLink in your stack), or report other accounts with --account`);
  }
  for (const accountId of empty) request.note?.(`note: ${accountId} has no tracking links of its own yet: only its built-in sources are shown (leave it out with --account)`);
  const report = buildReport(listings, chooseBaselines(history, now), history, now, request.moneyUnit);
  let snapshot: OutputFile | undefined;
  if (request.saveDir !== undefined) {
    const checked = SnapshotSchema.safeParse(snapshotOf(listings, now));
    // Written only if it can be read back: a counter the API sent as a fraction would poison every later report.
    if (!checked.success) throw new ReportError(`the API returned counters a snapshot cannot hold (${checked.error.issues[0]?.message ?? "invalid"}): run without --save, and report this`);
    snapshot = { path: join(request.saveDir.path, snapshotFileName(now)), text: snapshotText(checked.data), createFolder: true };
  }
  return { report, snapshot, listings };
}

/**
 * Checks where the report goes before any request: an existing target must be a regular file (see outputFiles.ts),
 * and not inside the snapshot folder, which holds only snapshots (the next run would refuse the folder).
 */
export async function checkReportOutput(out: { path: string; shownAs: string }, saveDir: { path: string; shownAs: string } | undefined): Promise<void> {
  await checkOutputTarget(out.path, out.shownAs);
  if (saveDir !== undefined && (await isInsideFolder(out.path, saveDir.path))) {
    throw new OutputFileError(`${out.shownAs} is inside the --save folder ${saveDir.shownAs}, which holds only snapshots (the next run would refuse it): write the report elsewhere`);
  }
}

export interface RunReportOptions {
  apiKey: string;
  /** Default https://v1.apifansly.com; the emulator's URL in the demo. */
  baseUrl?: string;
  accounts?: readonly string[];
  /** Where to write the HTML report; none when undefined. */
  htmlFile?: string;
  /** Snapshot folder, as `--save`. */
  saveDir?: string;
  /** Receives the table (default: standard output). */
  print?: (text: string) => void;
  /** Extra client options (e.g. a dispatcher in tests). */
  client?: Omit<FanslyClientOptions, "apiKey" | "baseUrl">;
}

/** Prints the report table and writes the HTML file (and a snapshot with `saveDir`): what `npm run demo` ends with. */
export async function runReport(options: RunReportOptions): Promise<PerformanceReport> {
  if (options.htmlFile !== undefined) {
    await checkReportOutput({ path: options.htmlFile, shownAs: options.htmlFile }, options.saveDir === undefined ? undefined : { path: options.saveDir, shownAs: options.saveDir });
  }
  const client = new FanslyClient({ ...options.client, apiKey: options.apiKey, ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }) });
  try {
    const { report, snapshot } = await createReport({
      client,
      ...(options.accounts === undefined ? {} : { accounts: options.accounts }),
      ...(options.saveDir === undefined ? {} : { saveDir: { path: options.saveDir, shownAs: options.saveDir } }),
    });
    const files = [...(options.htmlFile === undefined ? [] : [{ path: options.htmlFile, text: renderHtml(report) }]), ...(snapshot === undefined ? [] : [snapshot])];
    await writeTogether(files);
    (options.print ?? ((text: string) => process.stdout.write(text)))(renderTable(report));
    return report;
  } finally {
    await client.close();
  }
}
