#!/usr/bin/env node
/**
 * `npx pulumi-fansly <command>`: the package's command line. Each subcommand lives in its own module.
 */
import { closestName, escapeForDisplay } from "../fields";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../flags";
import { packageVersion } from "../packageVersion";
import type { CliIo, Subcommand } from "./io";
import { runFleetCommand } from "./fleetCommand";
import { runFleetSummary } from "./fleetSummaryCommand";
import { runImport } from "./importCommand";
import { runPreviewComment } from "./previewCommentCommand";
import { runReportCommand } from "./reportCommand";
import { runRecover } from "./recoverCommand";
import { messageOf } from "../thrown";

const SUBCOMMANDS: Record<string, { run: Subcommand; summary: string }> = {
  import: { run: runImport, summary: "write a TrackingLinkSet data file from the links an account already has" },
  "preview-comment": { run: runPreviewComment, summary: "turn `pulumi preview` output (stdin) into a pull-request comment" },
  "fleet-summary": { run: runFleetSummary, summary: "one comment for a fleet's CI jobs: which stacks changed, drifted or failed" },
  report: { run: runReportCommand, summary: "per-link performance across accounts, as a table, CSV, JSON or an HTML chart" },
  recover: { run: runRecover, summary: "after a killed `pulumi up`, bring the links it made into state (no duplicates)" },
  fleet: { run: runFleetCommand, summary: "preview, up, destroy or drift-check every stack of a project, sharing the key's rate limit" },
};

export function usage(): string {
  const lines = Object.entries(SUBCOMMANDS).map(([name, { summary }]) => `  ${name.padEnd(16)} ${summary}`);
  return (
    `usage: pulumi-fansly <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    "`pulumi-fansly <command> --help` for a command's options; `pulumi-fansly --version` (-V) for the version.\n"
  );
}

/**
 * Every byte a subcommand writes passes escapeForDisplay: no text from the API (a label, a server's message) reaches
 * the terminal with a control character it would obey. Each format already escapes that text its own way (the table
 * and CSV visibly, JSON and YAML with their own escapes, HTML as text), so here this changes nothing: it is the net.
 */
function displaySafe(io: CliIo): CliIo {
  return {
    ...io,
    stdout: (text) => { io.stdout(escapeForDisplay(text, { keepLineBreaks: true })); },
    stderr: (text) => { io.stderr(escapeForDisplay(text, { keepLineBreaks: true })); },
  };
}

export async function runCli(argv: readonly string[], unsafeIo: CliIo): Promise<number> {
  const io = displaySafe(unsafeIo);
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    io.stdout(usage());
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  // -V as commander-based CLIs have it: -v would read as "verbose" to many.
  if (name === "--version" || name === "-V") {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = SUBCOMMANDS[name];
  if (command === undefined) {
    const near = closestName(name, Object.keys(SUBCOMMANDS));
    io.stderr(`unknown command "${name}"${near === undefined ? "" : `; did you mean ${near}?`}\n\n${usage()}`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => (text += chunk));
    process.stdin.on("end", () => { resolve(text); });
    process.stdin.on("error", reject);
  });
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    readStdin,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(escapeForDisplay(`pulumi-fansly: ${messageOf(error)}\n`, { keepLineBreaks: true }));
      process.exitCode = EXIT_FAILURE;
    },
  );
}
