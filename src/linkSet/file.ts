/**
 * The TrackingLinkSet data file: its schema, parsing with line numbers, and writing. One module, shared by the
 * component (trackingLinkSet.ts) and the import generator (src/cli/importCommand.ts), so both read and write exactly
 * the same format.
 *
 * ```yaml
 * accountId: fansly_abc          # optional: the account of every link that names none
 * links:                         # stable key → link; the key names the Pulumi resource
 *   twitter-bio:
 *     label: Twitter bio
 *     description: pinned profile link       # optional, default ""
 *   reddit:
 *     label: "Reddit post #3"               # quoted: an unquoted " #" starts a comment (refused: textComments.ts)
 *     trackingLinkId: "845759434939445248"    # optional: adopt this existing link (quoted!)
 *     accountId: fansly_other                 # optional: this link lives in another account
 * ```
 *
 * JSON is YAML too: a `.json` file with the same shape is read by the same parser (and written as JSON).
 */
import { readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import * as yaml from "js-yaml";
import { z } from "zod";
import { LinkClaims, secondClaimantMessage } from "../claims";
import { FanslyError } from "../client/errors";
import { accountIdSchema, descriptionSchema, escapeForDisplay, EXAMPLE_LINK_ID, needsDisplayEscape, labelSchema, LINK_PROPERTIES, linkIdSchema } from "../fields";
import type { LinkSetProblem } from "./problem";
import { textCutByComments } from "./textComments";

export type { LinkSetProblem };

/** A key names a Pulumi resource (`<set>-<key>`): letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
export const LINK_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Keys longer than this make unreadable resource names. */
const MAX_LINK_KEY_LENGTH = 64;
/** The fields a link entry may have: a tracking link's properties. */
const LINK_FIELDS = LINK_PROPERTIES;
/** The top-level fields of a file. */
const FILE_FIELDS = ["accountId", "links"] as const;

/** One link, as a file entry or a `links` entry of `TrackingLinkSetArgs`. */
export interface LinkSpec {
  /** The link's name in Fansly, e.g. "Twitter bio" (1–100 characters). Changing it updates the link in place. */
  label: string;
  /** Free text shown with the link (up to 500 characters). Default "". */
  description?: string;
  /** apifansly's account id (`fansly_…`). Default: the file's `accountId`, then the set's, then `fansly:accountId`. */
  accountId?: string;
  /** The id of an existing link to adopt instead of creating one (digits, quoted in YAML). */
  trackingLinkId?: string;
}

/** A whole file: an optional default account and the links by key. */
export interface LinkSetData {
  accountId?: string;
  links: Record<string, LinkSpec>;
}

export type LinkSetFormat = "yaml" | "json";

/** A file as read: its data, and the text and format it came from (the import generator edits that text). */
export interface ParsedLinkSetFile {
  /** The path as given, used in messages. */
  file: string;
  format: LinkSetFormat;
  text: string;
  data: LinkSetData;
}


/** A data file (or a `links` object) that cannot be used. The message lists every problem, each with its line. */
export class LinkSetFileError extends FanslyError {
  constructor(
    /** The file's path as given, or a description of the object (`TrackingLinkSet "web" links`). */
    readonly source: string,
    readonly problems: readonly LinkSetProblem[],
  ) {
    const lines = problems.map((problem) => describeProblem(source, problem));
    super("FANSLY_VALIDATION", lines.length === 1 ? (lines[0] ?? source) : `${source} has ${lines.length} problems:\n  ${lines.join("\n  ")}`);
  }
}

function describeProblem(source: string, { line, key, field, message }: LinkSetProblem): string {
  const where = line === undefined ? source : `${source}:${line}`;
  const entry = key === undefined ? "" : `link "${key}": `;
  const subject = field === undefined ? "" : `${field} `;
  return `${where}: ${entry}${subject}${message}`;
}

const TEXT_HINT = "in YAML, put it in quotes if it looks like a number or true/false";

const LabelSchema = labelSchema((issue) =>
  issue.input === undefined ? "is missing: every link needs a label, e.g. label: Twitter bio" : `must be text: ${TEXT_HINT}`,
);

const DescriptionSchema = descriptionSchema(`must be text (or left out): ${TEXT_HINT}`);

const AccountIdSchema = accountIdSchema("must be text such as fansly_abc (apifansly's account id)");

const TrackingLinkIdSchema = linkIdSchema((issue) =>
  typeof issue.input === "number"
    ? `must be in quotes, e.g. trackingLinkId: "${EXAMPLE_LINK_ID}": unquoted, YAML reads the id as a number and rounds it`
    : `must be the id of an existing link, in quotes, e.g. trackingLinkId: "${EXAMPLE_LINK_ID}"`,
);

/** One entry. Unknown fields are errors: a misspelt `descripton` must not be silently dropped. */
export const LinkSpecSchema = z.strictObject(
  { label: LabelSchema, description: DescriptionSchema.optional(), accountId: AccountIdSchema.optional(), trackingLinkId: TrackingLinkIdSchema.optional() },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `is not a link field (known: ${LINK_FIELDS.join(", ")}): remove it or fix its spelling`
        : "must be a mapping of fields (label, description, …), not a single value",
  },
);

/** The links object itself, as `TrackingLinkSetArgs.links` takes it. */
const LinksSchema = z.record(z.string(), LinkSpecSchema, {
  error: (issue) =>
    issue.input === undefined
      ? "is missing: put the links under a top-level links: field, one key per link"
      : "must be a mapping of key → link, e.g. twitter-bio: { label: Twitter bio }",
});

/** A whole file. */
const LinkSetDataSchema = z.strictObject(
  { accountId: AccountIdSchema.optional(), links: LinksSchema },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `is not a top-level field (known: ${FILE_FIELDS.join(", ")}): put each link under links:, indented`
        : "must be a mapping with a links: field, e.g. links: { twitter-bio: { label: Twitter bio } }",
  },
);

/** Checks a key; returns why it cannot be one, with a suggestion, or undefined when it is fine. */
function keyProblem(key: string): string | undefined {
  if (key.length > MAX_LINK_KEY_LENGTH) return `is longer than ${MAX_LINK_KEY_LENGTH} characters: shorten the key (it names the Pulumi resource)`;
  if (LINK_KEY_PATTERN.test(key)) return undefined;
  const suggestion = slugify(key);
  return `must use only letters, digits, ".", "_" and "-", starting with a letter or digit (it names the Pulumi resource): e.g. "${suggestion}"`;
}

/** Key problems come from a check of our own (zod's record key issues carry no useful message). */
function keyProblems(links: unknown, keyLine: (key: string) => number | undefined): LinkSetProblem[] {
  if (typeof links !== "object" || links === null || Array.isArray(links)) return [];
  return Object.keys(links).flatMap((key) => {
    const message = keyProblem(key);
    return message === undefined ? [] : [{ key, message: `key ${message}`, ...lineField(keyLine(key)) }];
  });
}

function lineField(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}

/** Turns zod issues into problems, each located by `locate(path)` (a line, or undefined). */
function problemsOf(issues: readonly z.core.$ZodIssue[], linksAt: readonly string[], locate: (path: readonly string[]) => number | undefined): LinkSetProblem[] {
  return issues.flatMap((issue): LinkSetProblem[] => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((field) => problemAt([...path, field], `${JSON.stringify(field)} ${issue.message}`, linksAt, locate, false));
    }
    if (issue.code === "invalid_key") return []; // reported by keyProblems, with a suggestion
    return [problemAt(path, issue.message, linksAt, locate, true)];
  });
}

function problemAt(
  path: readonly string[],
  message: string,
  linksAt: readonly string[],
  locate: (path: readonly string[]) => number | undefined,
  nameField: boolean,
): LinkSetProblem {
  const inLinks = linksAt.every((segment, i) => path[i] === segment) && path.length > linksAt.length;
  const key = inLinks ? path[linksAt.length] : undefined;
  const rest = inLinks ? path.slice(linksAt.length + 1) : path;
  const field = nameField && rest.length > 0 ? rest.join(".") : undefined;
  return { ...(key === undefined ? {} : { key }), ...(field === undefined ? {} : { field }), message, ...lineField(locate(path)) };
}

/** The format a path is written in: `.json` is JSON, anything else YAML. */
export function formatOf(file: string): LinkSetFormat {
  return extname(file).toLowerCase() === ".json" ? "json" : "yaml";
}

/**
 * Parses and checks a file's text. Throws `LinkSetFileError` naming the file, the line, the key and the field of
 * every problem. Syntax errors carry js-yaml's own mark; for a well-formed file the line is found by `lineOf`.
 */
export function parseLinkSetText(text: string, file: string): ParsedLinkSetFile {
  let document: unknown;
  try {
    // CORE_SCHEMA: no YAML 1.1 dates or binaries, so `label: 2024-01-01` stays text; duplicate keys are errors.
    document = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    const line = (error.mark as { line?: number } | undefined)?.line;
    throw new LinkSetFileError(file, [
      { message: `${error.reason}: fix the syntax there (check indentation, quotes and, in JSON, commas)`, ...lineField(line === undefined ? undefined : line + 1) },
    ]);
  }
  if (document === undefined || document === null) {
    throw new LinkSetFileError(file, [{ line: 1, message: "is empty: write links: with one entry per link (links: {} for none)" }]);
  }
  const locate = (path: readonly string[]): number | undefined => lineOf(text, path);
  const parsed = LinkSetDataSchema.safeParse(document);
  const links = (document as { links?: unknown }).links;
  const problems = [
    ...(parsed.success ? [] : problemsOf(parsed.error.issues, ["links"], locate)),
    ...keyProblems(links, (key) => locate(["links", key])),
    ...textCutByComments(text, document, locate),
  ];
  if (!parsed.success || problems.length > 0) throw new LinkSetFileError(file, sortedByLine(problems));
  const shared = sharedLinkProblems(parsed.data.links, (key) => locate(["links", key, "trackingLinkId"]));
  if (shared.length > 0) throw new LinkSetFileError(file, shared);
  return { file, format: formatOf(file), text, data: withoutUndefined(parsed.data) };
}

/** Reads and checks a file (see `parseLinkSetText`). A file that cannot be read is a `LinkSetFileError` too. */
export function readLinkSetFile(file: string, cwd: string = process.cwd()): ParsedLinkSetFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new LinkSetFileError(file, [
      { message: `cannot be read (${code}): check the path; a relative one is resolved from ${cwd}, the Pulumi project folder when Pulumi runs the program` },
    ]);
  }
  return parseLinkSetText(text, file);
}

/** Checks a `links` object passed in code; `source` names it in messages (there are no lines). */
export function checkLinks(links: unknown, source: string): Record<string, LinkSpec> {
  const parsed = LinksSchema.safeParse(links);
  const noLine = (): undefined => undefined;
  const problems = [...(parsed.success ? [] : problemsOf(parsed.error.issues, [], noLine)), ...keyProblems(links, noLine)];
  if (!parsed.success || problems.length > 0) throw new LinkSetFileError(source, problems);
  const shared = sharedLinkProblems(parsed.data, noLine);
  if (shared.length > 0) throw new LinkSetFileError(source, shared);
  return withoutUndefined({ links: parsed.data }).links;
}

/** One link, one owner (src/claims.ts): a `trackingLinkId` under a second key is refused, naming both keys and lines. */
function sharedLinkProblems(links: Readonly<Record<string, { trackingLinkId?: string | undefined }>>, idLine: (key: string) => number | undefined): LinkSetProblem[] {
  const claims = new LinkClaims();
  const named = (key: string): string => {
    const line = idLine(key);
    return line === undefined ? `link "${key}"` : `link "${key}" (line ${line})`;
  };
  return Object.entries(links).flatMap(([key, { trackingLinkId }]): LinkSetProblem[] => {
    const first = trackingLinkId === undefined ? undefined : claims.claim(trackingLinkId, key);
    if (first === undefined || trackingLinkId === undefined) return [];
    return [{ message: secondClaimantMessage(trackingLinkId, named(first), named(key)), ...lineField(idLine(key)) }];
  });
}

function sortedByLine(problems: LinkSetProblem[]): LinkSetProblem[] {
  return [...problems].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
}

/** Drops fields that are present but undefined, so data compares and serializes cleanly. */
function withoutUndefined(data: { accountId?: string | undefined; links: Record<string, LinkSpec> }): LinkSetData {
  const links: Record<string, LinkSpec> = {};
  for (const [key, spec] of Object.entries(data.links)) links[key] = compactSpec(spec);
  return data.accountId === undefined ? { links } : { accountId: data.accountId, links };
}

/** A spec with its fields in the canonical order and no undefined or empty-description field. */
export function compactSpec(spec: LinkSpec): LinkSpec {
  const out: LinkSpec = { label: spec.label };
  if (spec.description !== undefined && spec.description !== "") out.description = spec.description;
  if (spec.accountId !== undefined) out.accountId = spec.accountId;
  if (spec.trackingLinkId !== undefined) out.trackingLinkId = spec.trackingLinkId;
  return out;
}

/** Writes a whole file's text: YAML (after an optional `#` header) or JSON. Ids are always quoted strings. */
export function serializeLinkSet(data: LinkSetData, format: LinkSetFormat, header: readonly string[] = []): string {
  const body = { ...(data.accountId === undefined ? {} : { accountId: data.accountId }), links: mapValues(data.links, compactSpec) };
  if (format === "json") return `${escapeForDisplay(JSON.stringify(body, null, 2), { keepLineBreaks: true })}\n`;
  const comments = header.map((line) => (line === "" ? "#" : `# ${line}`)).join("\n");
  return `${comments === "" ? "" : `${comments}\n`}${dumpYaml(body)}`;
}

/**
 * js-yaml's dump in our house style: no line folding, double quotes where quotes are needed. Text holding a control
 * or bidi character (a description from the API) is written with every string double-quoted, where YAML's own `\u`
 * escape keeps it exact and a terminal shown the file obeys nothing (js-yaml would write a bidi override raw).
 */
export function dumpYaml(value: unknown, indent = 2): string {
  const options: yaml.DumpOptions = { indent, lineWidth: -1, noRefs: true, quotingType: '"', schema: yaml.CORE_SCHEMA };
  const text = yaml.dump(value, options);
  return needsDisplayEscape(text) ? escapeForDisplay(yaml.dump(value, { ...options, forceQuotes: true }), { keepLineBreaks: true }) : text;
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** A readable key from a label: lower case, ASCII letters and digits joined by "-", at most 48 characters; "link" if none. */
export function slugify(label: string): string {
  const ascii = label.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  const slug = ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, "");
  return slug === "" ? "link" : slug;
}
/** Leaves room for a "-NNN" suffix within MAX_LINK_KEY_LENGTH. */
const MAX_SLUG_LENGTH = 48;

// ---------------------------------------------------------------------------------------------------------------
// Finding lines. A well-formed document has no marks, so we scan the text: simple, and good for block YAML and
// pretty-printed JSON, the two shapes people and our generator write. For flow style ({ … } on one line) the
// nearest enclosing key's line is reported, which is still the right line.

/** One line of the text, as far as the scan cares. */
export interface OutlineLine {
  indent: number;
  /** The mapping key the line starts with (unquoted), if any. */
  key: string | undefined;
  /** Blank or only a comment. */
  empty: boolean;
}

const KEY_LINE = /^(\s*)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],:][^#{}[\],:]*?)\s*:(?=\s|$)/;

/** The lines of a text with their indentation and leading key. */
export function outline(text: string): OutlineLine[] {
  return text.split(/\r?\n/).map((raw) => {
    const trimmed = raw.trim();
    const indent = raw.length - raw.trimStart().length;
    if (trimmed === "" || trimmed.startsWith("#")) return { indent, key: undefined, empty: true };
    const match = KEY_LINE.exec(raw);
    return { indent, key: match?.[2] === undefined ? undefined : unquote(match[2]), empty: false };
  });
}

function unquote(token: string): string {
  if (token.startsWith('"')) {
    try {
      return JSON.parse(token) as string;
    } catch {
      return token.slice(1, -1);
    }
  }
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  return token.trim();
}

/** Index (0-based) of the line holding `key` directly inside the block that starts after line `parent`. */
export function findChildLine(lines: readonly OutlineLine[], parent: number, key: string): number | undefined {
  const parentIndent = parent < 0 ? -1 : (lines[parent]?.indent ?? -1);
  let childIndent: number | undefined;
  for (let i = parent + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line.empty) continue;
    if (line.indent <= parentIndent) return undefined; // the parent's block ended
    if (line.key === undefined) continue; // a JSON bracket, or a block scalar's text
    childIndent ??= line.indent;
    if (line.indent === childIndent && line.key === key) return i;
  }
  return undefined;
}

/** The 1-based line of the deepest part of `path` that can be found (e.g. the key's line when its field is not). */
export function lineOf(text: string, path: readonly string[]): number | undefined {
  const lines = outline(text);
  let at = -1;
  for (const segment of path) {
    const found = findChildLine(lines, at, segment);
    if (found === undefined) break;
    at = found;
  }
  return at < 0 ? undefined : at + 1;
}
