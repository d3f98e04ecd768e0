/**
 * Text YAML cut short by a comment. In YAML, " #" starts a comment even inside an unquoted value, so
 * `label: Snap #2` is the label "Snap": the link would be created (or renamed) as "Snap" and nothing would say so.
 *
 * The rule: an unquoted text field whose line goes on after its value with spaces, then `#`, then a character
 * that is not a space, is refused — `#2`, `#main` read as part of the text. A `#` followed by a space (or ending
 * the line) reads as a comment, and is one: `label: Twitter bio  # main account` is the label "Twitter bio". The fix
 * named is quoting the whole value; a comment meant as one gets a space after its `#`.
 */
import type { LinkSetProblem } from "./problem";

/** The text fields of an entry, and of the file itself. */
const ENTRY_TEXT_FIELDS = ["label", "description", "accountId", "trackingLinkId"] as const;
const FILE_TEXT_FIELDS = ["accountId"] as const;

/** What follows a value when YAML took the rest of the line as a comment that reads as text: spaces, `#`, non-space. */
const COMMENT_READ_AS_TEXT = /^\s+#\S/;

/**
 * Every text field of `document` (the file as YAML read it) whose line shows a comment that reads as part of the
 * text. `locate` gives a path's 1-based line (file.ts's `lineOf`).
 */
export function textCutByComments(text: string, document: unknown, locate: (path: readonly string[]) => number | undefined): LinkSetProblem[] {
  const lines = text.split(/\r?\n/);
  const check = (path: readonly string[], value: unknown, key?: string): LinkSetProblem[] => {
    const field = path.at(-1) ?? "";
    const line = locate(path);
    if (typeof value !== "string" || line === undefined) return [];
    const problem = cutByComment(lines[line - 1] ?? "", field, value);
    return problem === undefined ? [] : [{ line, ...(key === undefined ? {} : { key }), field, message: problem }];
  };
  if (!isRecord(document)) return [];
  const problems = FILE_TEXT_FIELDS.flatMap((field) => check([field], document[field]));
  const links = document.links;
  if (!isRecord(links)) return problems;
  for (const [key, entry] of Object.entries(links)) {
    if (!isRecord(entry)) continue;
    problems.push(...ENTRY_TEXT_FIELDS.flatMap((field) => check(["links", key, field], entry[field], key)));
  }
  return problems;
}

/** Why `value`, read from `raw` (the line `field: …`), lost part of its line to a comment; undefined if it did not. */
function cutByComment(raw: string, field: string, value: string): string | undefined {
  // The field names are ours (letters only), so they need no escaping.
  const written = new RegExp(`^\\s*${field}\\s*:\\s+(.*)$`).exec(raw)?.[1];
  // A quoted, block or multi-line value does not start with what YAML read: not the case looked for.
  if (written === undefined || value === "" || !written.startsWith(value)) return undefined;
  const after = written.slice(value.length);
  if (!COMMENT_READ_AS_TEXT.test(after)) return undefined;
  const whole = written.trimEnd();
  return (
    `is read as ${JSON.stringify(value)}: YAML takes " #" and the rest of the line as a comment; ` +
    `put the whole value in quotes (${field}: ${JSON.stringify(whole)}), or, for a comment, put a space after the #`
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
