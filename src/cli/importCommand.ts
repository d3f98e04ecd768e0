/**
 * `pulumi-fansly import --account <id> [--out links.yaml]`: writes a TrackingLinkSet data file from the links an
 * account already has, each with its `trackingLinkId`, so the next `pulumi up` adopts them all with no create,
 * update or delete. Reads only (GET); Fansly's built-in links are left out.
 *
 * Run again on the same account and file, it keeps every existing key and every edit a person made, appends the
 * account's new links, and reports entries whose link is gone: kept with a marker comment (YAML), or removed with
 * `--prune`. Progress and reports go to stderr; the file (or, without --out, the YAML) is the only other output.
 */
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { EXIT_FAILURE, EXIT_OK, parseFlags } from "../flags";
import {
  FanslyError,
  FanslyNotFoundError,
  isBuiltInLink,
  type FanslyLogEvent,
  type TrackingLink,
} from "../client";
import { checkOutputTarget, OutputFileError, writeTogether, type OutputFile } from "../outputFiles";
import { plural } from "../plural";
import { accountOfStackConfig, linkSetFileOf, stackConfigFileOf, stackConfigText, stackNamesFor, stacksIn } from "./fleetLayout";
import { editYamlLinkSet } from "./linkSetEdit";
import { formatOf, LinkSetFileError, parseLinkSetText, serializeLinkSet, type LinkSetFormat, type ParsedLinkSetFile } from "../linkSet/file";
import { planImport, pulumiImportFile, type ImportPlan } from "./importPlan";
import type { CliIo, Subcommand } from "./io";
import {
  API_ACCESS_FLAGS,
  API_ACCESS_HELP,
  API_KEY_HELP,
  apiAccessFrom,
  apiSubcommand,
  checkAccountFlag,
  clientFor,
  nonEmpty,
  refuseApiKeyFlag,
  stringFlag,
  UsageError,
  type ApiAccess,
} from "./apiAccess";
import { messageOf } from "../thrown";

const PREFIX = "pulumi-fansly import";
/** How many keys a report lists before it says "and N more". */
const MAX_LISTED = 20;

const IMPORT_USAGE = `usage: pulumi-fansly import --account <id> [--out <file>] [options]
       pulumi-fansly import --all-accounts [--dir <project>] [--prune]

Writes a TrackingLinkSet data file from the tracking links an account already has (GET requests only; Fansly's
built-in For You / Search / Suggestions links are left out). Each entry carries its trackingLinkId, so the next
\`pulumi up\` over new TrackingLinkSet("…", { file }) adopts every link without creating, changing or deleting any.

options:
  --account <id>     apifansly's account id (fansly_…); default: FANSLY_ACCOUNT_ID
  --out <file>       the data file to write (.json for JSON, anything else YAML); default: YAML on stdout.
                     An existing file is updated: its keys, edits and comments are kept, new links are added,
                     and entries whose link is gone are reported and marked with a comment
  --all-accounts     every account of the key, a stack each, into one project (examples/agency-fleet): for each,
                     links/<stack>.yaml (updated as --out updates a file) and Pulumi.<stack>.yaml with its
                     fansly:accountId (never rewritten once there). <stack> comes from the account's name
                     (a-z, 0-9 and -), else its id; an account keeps its stack when renamed
  --dir <folder>     with --all-accounts: the project folder (holds Pulumi.yaml); default: the current folder
  --prune            remove entries whose link is gone instead of marking them
  --format yaml|json|pulumi-import
                     default: from --out's extension, else yaml. pulumi-import writes Pulumi's bulk import file
                     instead, for a stack on the plugin face: \`pulumi import --file <file>\` then adopts every link
                     as a fansly:index:TrackingLink (ids as <accountId>/<linkId>). That file is written afresh
${API_ACCESS_HELP}
  -h, --help         this text

${API_KEY_HELP}
Exit codes: 0 done, 2 usage (a flag or FANSLY_API_KEY to fix), 1 failure (the message says what to do).
`;

/** Pulumi's bulk import file (`pulumi import --file`), the other thing the import can write. */
const PULUMI_IMPORT_FORMAT = "pulumi-import";

interface ImportOptions extends ApiAccess {
  accountId: string;
  out: string | undefined;
  format: LinkSetFormat | typeof PULUMI_IMPORT_FORMAT;
  prune: boolean;
}

/** `--all-accounts`: every account of the key into one fleet project (src/cli/fleetLayout.ts). */
interface AllAccountsOptions extends ApiAccess {
  allAccounts: true;
  dir: string | undefined;
  prune: boolean;
}

/** The subcommand. Never throws: every failure becomes a message on stderr and an exit code. */
export const runImport: Subcommand = apiSubcommand({
  prefix: PREFIX,
  usage: IMPORT_USAGE,
  parse: parseImportArgs,
  run: (options, io) => ("allAccounts" in options ? importAllAccounts(options, io) : importLinks(options, io)),
  describeFailure,
});

const IMPORT_FLAGS = {
  account: { type: "string" },
  out: { type: "string", short: "o" },
  prune: { type: "boolean" },
  format: { type: "string" },
  "all-accounts": { type: "boolean" },
  dir: { type: "string" },
  ...API_ACCESS_FLAGS,
  help: { type: "boolean", short: "h" },
} as const;

function parseImportArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ImportOptions | AllAccountsOptions | "help" {
  const values = parseFlags(argv, IMPORT_FLAGS, "--account fansly_…");
  if (values.help === true) return "help";
  refuseApiKeyFlag(values);
  if (values["all-accounts"] === true) {
    const clash = (["account", "out", "format"] as const).find((flag) => values[flag] !== undefined);
    if (clash !== undefined) throw new UsageError(`--all-accounts writes links/<stack>.yaml for every account: leave out --${clash}`);
    return { allAccounts: true, dir: stringFlag(values.dir), prune: values.prune === true, ...apiAccessFrom(values, env) };
  }
  if (values.dir !== undefined) throw new UsageError("--dir goes with --all-accounts; for one account, pass --out <file>");
  const accountId = stringFlag(values.account) ?? nonEmpty(env.FANSLY_ACCOUNT_ID);
  if (accountId === undefined) throw new UsageError("--account is required: pass --account fansly_… (the apifansly dashboard lists your account ids)");
  checkAccountFlag(accountId);
  const out = stringFlag(values.out);
  if (out?.trim() === "") throw new UsageError("--out needs a file name, e.g. --out links.yaml");
  const format = stringFlag(values.format);
  if (format !== undefined && format !== "yaml" && format !== "json" && format !== PULUMI_IMPORT_FORMAT) {
    throw new UsageError(`--format must be yaml, json or ${PULUMI_IMPORT_FORMAT}`);
  }
  if (values.prune === true && out === undefined) throw new UsageError("--prune updates an existing file: pass --out <file> too");
  if (values.prune === true && format === PULUMI_IMPORT_FORMAT) {
    throw new UsageError(`--prune edits a link-set file; --format ${PULUMI_IMPORT_FORMAT} writes its file afresh: leave out --prune`);
  }
  return {
    accountId,
    out,
    format: format ?? (out === undefined ? "yaml" : formatOf(out)),
    prune: values.prune === true,
    ...apiAccessFrom(values, env),
  };
}

async function importLinks(options: ImportOptions, io: CliIo): Promise<number> {
  if (options.format === PULUMI_IMPORT_FORMAT) return writePulumiImportFile(options, io);
  const format = options.format;
  const outPath = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  const imported = await importedFile({ ...options, format }, outPath, io);
  if (outPath === undefined) io.stdout(imported.text);
  else if (imported.changed) await writeTogether([{ path: outPath, text: imported.text, shownAs: options.out ?? outPath }]);
  return reportImported(imported, options, io);
}

/** One account's file, planned but not written: the new text and what the reports say about it. */
interface ImportedFile {
  text: string;
  /** False when the file exists and already says exactly this. */
  changed: boolean;
  plan: ImportPlan;
  existing: ParsedLinkSetFile | undefined;
  /** Links the account has, and how many of them are Fansly's built-in ones. */
  total: number;
  builtIn: number;
}

/** Reads (and checks) the existing file, lists the account, plans and renders the new text. */
async function importedFile(options: ImportOptions & { format: LinkSetFormat }, outPath: string | undefined, io: CliIo): Promise<ImportedFile> {
  // Read (and check) the existing file before any request: a broken file, or a target that is not a regular file
  // (a link, a device), fails fast and costs no API credit.
  if (outPath !== undefined && options.out !== undefined) await checkOutputTarget(outPath, options.out);
  const existing = outPath === undefined || options.out === undefined ? undefined : await readExisting(outPath, options.out);
  const fileAccount = existing?.data.accountId;
  if (existing !== undefined && fileAccount !== undefined && fileAccount !== options.accountId) {
    throw new LinkSetFileError(existing.file, [
      { message: `is the file of account ${fileAccount} (its accountId:): pass --account ${fileAccount}, or --out another file (one file per account)` },
    ]);
  }
  const all = await listLinks(options, io);
  const custom = all.filter((link) => !isBuiltInLink(link));
  const plan = planImport({ accountId: options.accountId, links: custom, existing: existing?.data, prune: options.prune });
  const text = render(plan, options, existing, io);
  assertParses(text, options.out ?? "the import's output");
  return { text, changed: text !== existing?.text, plan, existing, total: all.length, builtIn: all.length - custom.length };
}

/** The summary line and the reports of one imported file; resolves to the exit status. */
function reportImported(imported: ImportedFile, options: ImportOptions, io: CliIo): number {
  const target = options.out ?? "stdout";
  io.stderr(`${PREFIX}: ${imported.total} links in ${options.accountId} (${imported.builtIn} built-in, left out); ${summary(imported.plan, imported.existing !== undefined, target)}\n`);
  report(io, imported.plan, options, target, imported.existing);
  return reportUndeclarable(io, imported.plan, options, target);
}

/**
 * `--all-accounts`: for every account of the key, its link-set file and its stack config, in one project. Every
 * target is checked, and every account listed, before anything is written; then all files are written together
 * (outputFiles.ts), so a failure leaves the project as it was. A stack config already there is never rewritten:
 * one naming another account, or none, stops the import before any write.
 */
async function importAllAccounts(options: AllAccountsOptions, io: CliIo): Promise<number> {
  const projectDir = resolve(io.cwd, options.dir ?? ".");
  if ((await checkOutputTarget(join(projectDir, "Pulumi.yaml"), "Pulumi.yaml").catch(() => undefined)) === undefined) {
    throw new UsageError(`${projectDir} has no Pulumi.yaml: copy examples/agency-fleet there first (its program reads links/<stack>.yaml), or pass --dir <project>`);
  }
  const stackAccounts = new Map<string, string | undefined>();
  for (const stack of await stacksIn(projectDir)) {
    stackAccounts.set(stack, accountOfStackConfig(await readFile(join(projectDir, stackConfigFileOf(stack)), "utf8")));
  }
  const kept = new Map([...stackAccounts].flatMap(([stack, account]) => (account === undefined ? [] : [[account, stack] as const])));
  const accounts = await listAccounts(options, io);
  const names = stackNamesFor(accounts, kept, new Set(stackAccounts.keys()));
  const files: OutputFile[] = [];
  const imported: { file: ImportedFile; options: ImportOptions }[] = [];
  for (const { accountId } of accounts) {
    const stack = names.get(accountId) ?? accountId;
    const configFile = stackConfigFileOf(stack);
    if (!stackAccounts.has(stack)) {
      files.push({ path: join(projectDir, configFile), text: stackConfigText(accountId), shownAs: configFile });
    } else if (stackAccounts.get(stack) !== accountId) {
      throw new OutputFileError(`${configFile} exists and does not name account ${accountId} (fansly:accountId): it is not rewritten; move it away, or set its fansly:accountId: ${accountId}`);
    }
    const out = linkSetFileOf(stack);
    const accountOptions: ImportOptions = { ...options, accountId, out, format: "yaml" };
    const file = await importedFile({ ...accountOptions, format: "yaml" }, join(projectDir, out), io);
    if (file.changed) files.push({ path: join(projectDir, out), text: file.text, shownAs: out, createFolder: true });
    imported.push({ file, options: accountOptions });
  }
  await writeTogether(files);
  let status = EXIT_OK;
  for (const { file, options: accountOptions } of imported) status = Math.max(status, reportImported(file, accountOptions, io));
  io.stderr(
    `${PREFIX}: ${accounts.length} accounts, a stack each, in ${projectDir}: ${[...names.values()].join(", ") || "none"}; ` +
      "run `pulumi-fansly fleet preview` there (README, \"Agencies\")\n",
  );
  return status;
}

/** The accounts connected to the key (one GET). */
async function listAccounts(access: ApiAccess, io: CliIo): Promise<{ accountId: string; name?: string | null | undefined }[]> {
  const client = clientFor(access);
  try {
    io.stderr(`${PREFIX}: listing the accounts of the key (GET only)…\n`);
    return await client.accounts.list();
  } finally {
    await client.close();
  }
}

/** The last guard of "never write a file that does not parse": a plan bug fails here, before anything is written. */
function assertParses(text: string, name: string): void {
  try {
    parseLinkSetText(text, name);
  } catch (error) {
    const why = messageOf(error);
    throw new Error(`internal error: the file the import made does not parse, so it was not written (please report this): ${why}`, { cause: error });
  }
}

/**
 * Links the file cannot declare as they are were left out (see ImportPlan.undeclarable): listed with the reason
 * for each, and the exit status says the import is not whole (1), though the rest was written.
 */
function reportUndeclarable(io: CliIo, plan: ImportPlan, options: ImportOptions, target: string): number {
  if (plan.undeclarable.length === 0) return EXIT_OK;
  const n = plan.undeclarable.length;
  io.stderr(
    `${PREFIX}: ${plural(n, "link", "links")} of ${options.accountId} cannot be declared in a link-set file as ${n === 1 ? "it is" : "they are"} ` +
      `and ${n === 1 ? "was" : "were"} left out of ${target} (the rest was written): fix ${n === 1 ? "its label or description" : "their labels or descriptions"} ` +
      "in the Fansly dashboard, then run the import again:\n",
  );
  io.stderr(listed(plan.undeclarable.map(({ trackingLinkId, reasons }) => `link ${trackingLinkId}: ${reasons.join("; ")}`)));
  return EXIT_FAILURE;
}

/** `--format pulumi-import`: every custom link of the account as an entry of Pulumi's bulk import file. */
async function writePulumiImportFile(options: ImportOptions, io: CliIo): Promise<number> {
  if (options.out !== undefined) await checkOutputTarget(resolve(io.cwd, options.out), options.out);
  const all = await listLinks(options, io);
  const custom = all.filter((link) => !isBuiltInLink(link));
  const plan = planImport({ accountId: options.accountId, links: custom, existing: undefined, prune: false });
  const text = `${JSON.stringify(pulumiImportFile(options.accountId, plan.added), null, 2)}\n`;
  // A link the link-set file cannot declare would fail `check` once imported: left out here too, and listed below.
  const target = options.out ?? "stdout";
  if (options.out === undefined) io.stdout(text);
  else await writeTogether([{ path: resolve(io.cwd, options.out), text, shownAs: options.out }]);
  io.stderr(
    `${PREFIX}: ${all.length} links in ${options.accountId} (${all.length - custom.length} built-in, left out); ${plan.added.length} written to ${target}; ` +
      `adopt them with \`pulumi import --file ${options.out ?? "<file>"}\` in a stack whose Pulumi.yaml names the plugin (README, "The plugin face")\n`,
  );
  return reportUndeclarable(io, plan, options, target);
}

async function readExisting(path: string, name: string): Promise<ParsedLinkSetFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return parseLinkSetText(text, name);
  } catch (error) {
    if (!(error instanceof LinkSetFileError)) throw error;
    throw new LinkSetFileError(name, [
      ...error.problems,
      { message: "the import keeps existing files' entries, so it needs a valid file: fix the problems above, or --out another file" },
    ]);
  }
}

/** Lists every link (all pages), reporting each page and each retry on stderr: an agency account is long. */
async function listLinks(options: ImportOptions, io: CliIo): Promise<TrackingLink[]> {
  let pages = 0;
  const logger = (event: FanslyLogEvent): void => {
    if (event.type === "retry") io.stderr(`${PREFIX}: ${event.message}\n`);
    else if (event.status !== undefined && event.status < 300) io.stderr(`${PREFIX}: listing ${options.accountId}: page ${++pages} received\n`);
  };
  const client = clientFor(options, logger);
  try {
    io.stderr(`${PREFIX}: listing the tracking links of ${options.accountId} (GET only)…\n`);
    return await client.trackingLinks.list(options.accountId);
  } finally {
    await client.close();
  }
}

function summary(plan: ImportPlan, updating: boolean, target: string): string {
  const total = Object.keys(plan.data.links).length;
  if (!updating) return `${plan.added.length} written to ${target}`;
  return `${target} now has ${total} entries: ${plan.present.length + plan.matchedByLabel.length} kept as they were, ${plan.added.length} added`;
}

function report(io: CliIo, plan: ImportPlan, options: ImportOptions, target: string, existing: ParsedLinkSetFile | undefined): void {
  if (existing !== undefined && existing.data.accountId === undefined) {
    io.stderr(
      `${PREFIX}: note: ${target} has no top-level accountId, so its entries were taken to be in ${options.accountId}; ` +
        "the TrackingLinkSet's accountId (or fansly:accountId) must name that account\n",
    );
  }
  if (plan.gone.length > 0) {
    const what = options.prune ? "removed from the file" : "kept, marked with a comment: delete each entry, or rerun with --prune";
    io.stderr(`${PREFIX}: ${plural(plan.gone.length, "entry", "entries")} of ${target} ${plan.gone.length === 1 ? "is" : "are"} gone from ${options.accountId} (${what}):\n`);
    io.stderr(listed(plan.gone.map(({ key, trackingLinkId }) => `${key} (trackingLinkId ${trackingLinkId})`)));
  }
  if (plan.matchedByLabel.length > 0) {
    io.stderr(
      `${PREFIX}: ${plural(plan.matchedByLabel.length, "entry", "entries")} without a trackingLinkId matched an account link by label ` +
        `and ${plan.matchedByLabel.length === 1 ? "was" : "were"} left as ${plan.matchedByLabel.length === 1 ? "it is" : "they are"} (not added twice):\n`,
    );
    io.stderr(listed(plan.matchedByLabel.map(({ key, trackingLinkId }) => `${key} (trackingLinkId ${trackingLinkId})`)));
  }
  if (plan.differs.length > 0) {
    io.stderr(
      `${PREFIX}: ${plural(plan.differs.length, "entry differs", "entries differ")} from the account; the file wins at the next \`pulumi up\` ` +
        "(one update each), or copy the account's values into the file:\n",
    );
    io.stderr(listed(plan.differs.map(({ key, fields }) => `${key} (${fields.join(", ")})`)));
  }
}


function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).map((item) => `  ${item}\n`);
  const more = items.length > MAX_LISTED ? [`  … and ${items.length - MAX_LISTED} more\n`] : [];
  return [...shown, ...more].join("");
}

function goneNote(trackingLinkId: string, accountId: string): string {
  return `link ${trackingLinkId} is gone from ${accountId}: delete this entry, or remove its trackingLinkId to create the link again`;
}

/** The new text: the existing YAML edited line by line when possible, else the whole file written afresh. */
function render(plan: ImportPlan, options: ImportOptions & { format: LinkSetFormat }, existing: ParsedLinkSetFile | undefined, io: CliIo): string {
  if (existing === undefined) return serializeLinkSet(plan.data, options.format, header(options));
  if (existing.format === "yaml" && options.format === "yaml") {
    const edited = editYamlLinkSet(existing.text, {
      add: Object.fromEntries(plan.added.map(({ key, spec }) => [key, spec])),
      mark: new Map(options.prune ? [] : plan.gone.map(({ key, trackingLinkId }) => [key, goneNote(trackingLinkId, options.accountId)])),
      unmark: plan.present,
      remove: options.prune ? plan.gone.map(({ key }) => key) : [],
    });
    // The edit must mean exactly the planned data; anything else (an odd layout) falls back to a rewrite.
    if (edited !== undefined && sameData(edited, existing.file, plan)) return edited;
    io.stderr(`${PREFIX}: note: ${existing.file}'s layout could not be edited line by line, so it was rewritten (its comments are lost)\n`);
  }
  return serializeLinkSet(plan.data, options.format);
}

function sameData(text: string, file: string, plan: ImportPlan): boolean {
  try {
    return JSON.stringify(parseLinkSetText(text, file).data) === JSON.stringify(plan.data);
  } catch {
    return false;
  }
}

function header(options: ImportOptions & { format: LinkSetFormat }): string[] {
  const file = options.out ?? "links.yaml";
  return [
    `Tracking links of Fansly account ${options.accountId}, for a pulumi-fansly TrackingLinkSet:`,
    `  new TrackingLinkSet("links", { file: ${JSON.stringify(file)} })`,
    `Written by \`pulumi-fansly import --account ${options.accountId}\`. Edit freely: running it again keeps your`,
    "edits, comments and keys, adds new links and marks deleted ones. A key names the Pulumi resource:",
    "change labels and descriptions, never keys.",
  ];
}

function describeFailure(error: unknown, options: ImportOptions | AllAccountsOptions): string {
  if (error instanceof FanslyNotFoundError) return "allAccounts" in options ? error.message : `${error.message}; check --account ${options.accountId}`;
  if (error instanceof FanslyError) return error.message;
  if ((error as NodeJS.ErrnoException).syscall !== undefined) return `${(error as Error).message}: check that --out's folder exists and is writable`;
  if (error instanceof Error) return error.message;
  return String(error);
}
