import { EXIT_FAILURE, EXIT_OK, parseFlags, UsageError } from "../flags";
import type { CliIo, Subcommand } from "./io";
import { GITHUB_COMMENT_MAX_CHARS, MIN_COMMENT_CHARS, parsePreview, previewVerdict, renderPreviewComment, type CommentOptions } from "./previewComment";
import { subcommand } from "./subcommand";

const PREFIX = "pulumi-fansly preview-comment";
/** The comment was written, but says the preview failed or could not be read: a pipeline must not go on as if safe. */
const EXIT_NOT_A_CLEAN_PREVIEW = EXIT_FAILURE;

const USAGE = `usage: pulumi preview --diff 2>&1 | pulumi-fansly preview-comment [options] > comment.md

Reads what \`pulumi preview\` printed on stdin; writes a Markdown comment on stdout: the counts, the changed
resources, and the whole output folded away, or cut with a note when the comment would pass the limit.
Its first line is a hidden marker (<!-- pulumi-fansly:preview-comment stack=NAME -->): find the comment by it
to update it in place on the next run.

Exit status: 0 when the preview ran (with or without changes); 1 when it failed (an \`error:\` line, or a non-zero
--exit-code), the input is empty or not \`pulumi preview\` output, or it ends before Pulumi's closing
\`Resources:\` summary (cut short: no count is given) — the comment is still written, and says so in its
headline with the first error; 2 for a usage error.

options:
  --stack NAME       stack for the heading and the marker (default: the one the output names)
  --exit-code N      exit status of the preview; non-zero makes the comment say it failed
  --run-url URL      link to the full log (default: this GitHub Actions run or GitLab job, from the environment)
  --title TEXT       heading instead of "Pulumi preview" (e.g. "Drift check")
  --max-chars N      longest comment, in characters (default ${GITHUB_COMMENT_MAX_CHARS}, GitHub's limit; at least ${MIN_COMMENT_CHARS})
  -h, --help         show this help
`;

const FLAGS = {
  stack: { type: "string" },
  "exit-code": { type: "string" },
  "run-url": { type: "string" },
  title: { type: "string" },
  "max-chars": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Where the whole log of this CI run is: GitHub Actions' run page or GitLab's job page, when the env says. */
export function runUrlFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, CI_JOB_URL } = env;
  if (GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID) return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`;
  return CI_JOB_URL ?? undefined;
}

function wholeNumber(text: string | undefined): number | undefined {
  return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** `pulumi preview --diff 2>&1 | pulumi-fansly preview-comment`: a pull-request comment on stdout. */
export const runPreviewComment: Subcommand = subcommand({
  prefix: PREFIX,
  usage: USAGE,
  parse: parsePreviewCommentArgs,
  run: previewComment,
});

function parsePreviewCommentArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CommentOptions | "help" {
  const values = parseFlags(argv, FLAGS, "--stack prod");
  if (values.help === true) return "help";
  const options: CommentOptions = {};
  if (values.stack !== undefined && values.stack.trim() !== "") options.stack = values.stack.trim();
  if (values.title !== undefined && values.title.trim() !== "") options.title = values.title.trim();
  const runUrl = values["run-url"] ?? runUrlFromEnv(env);
  if (runUrl !== undefined && runUrl !== "") options.runUrl = runUrl;
  if (values["exit-code"] !== undefined) {
    const exitCode = wholeNumber(values["exit-code"]);
    if (exitCode === undefined) throw new UsageError(`--exit-code must be a whole number (the preview's exit status), got ${JSON.stringify(values["exit-code"])}`);
    options.exitCode = exitCode;
  }
  if (values["max-chars"] !== undefined) {
    const maxChars = wholeNumber(values["max-chars"]);
    if (maxChars === undefined || maxChars < MIN_COMMENT_CHARS) throw new UsageError(`--max-chars must be a whole number of at least ${MIN_COMMENT_CHARS}`);
    options.maxChars = maxChars;
  }
  return options;
}

async function previewComment(options: CommentOptions, io: CliIo): Promise<number> {
  const previewText = await io.readStdin();
  // No newline after it: the comment is exactly what is printed, and stays within --max-chars.
  io.stdout(renderPreviewComment(previewText, options));
  const summary = parsePreview(previewText);
  switch (previewVerdict(summary, options.exitCode)) {
    case "ok":
      return EXIT_OK;
    case "failed":
      io.stderr(`${PREFIX}: the preview failed: ${summary.firstError ?? `exit status ${options.exitCode ?? "unknown"}`}\n`);
      return EXIT_NOT_A_CLEAN_PREVIEW;
    case "unreadable":
      io.stderr(`${PREFIX}: the input is empty or not \`pulumi preview\` output: the preview may not have run\n`);
      return EXIT_NOT_A_CLEAN_PREVIEW;
    case "incomplete":
      io.stderr(
        `${PREFIX}: the input ends before the preview's closing \`Resources:\` summary: it is incomplete ` +
          "(cut short, or the preview stopped), so no count is given; pipe the whole output of `pulumi preview`\n",
      );
      return EXIT_NOT_A_CLEAN_PREVIEW;
  }
}
