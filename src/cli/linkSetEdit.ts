/**
 * Edits a YAML data file's text in place, line by line, so what a person wrote (comments, order, quoting, blank
 * lines) survives a re-run of the import generator: new entries are appended to `links:`, an entry whose link is
 * gone gets a marker comment above it (or is removed), and nothing else changes. Layouts this does not handle
 * (flow style, JSON) return `undefined`, and the caller rewrites the file instead.
 */
import { dumpYaml, findChildLine, outline, type LinkSpec, type OutlineLine } from "../linkSet/file";

/** Every marker comment starts so; a later run finds (and updates or removes) its own markers by it. */
export const GONE_MARKER_PREFIX = "# pulumi-fansly import:";

export interface YamlLinkSetEdit {
  /** New entries, appended at the end of `links:` in this order. */
  add: Readonly<Record<string, LinkSpec>>;
  /** Entries to mark, by key, with the marker comment's text (after the prefix). */
  mark: ReadonlyMap<string, string>;
  /** Entries whose marker (if any) is stale and goes. */
  unmark: readonly string[];
  /** Entries to delete, with their marker. */
  remove: readonly string[];
}

interface Splice {
  at: number;
  deleteCount: number;
  insert: string[];
}

const DEFAULT_INDENT = 2;

/** The edited text, or `undefined` when the file's layout is not one this edits line by line. */
export function editYamlLinkSet(text: string, edit: YamlLinkSetEdit): string | undefined {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const raw = text.split(/\r?\n/);
  const lines = outline(text);
  const linksAt = findChildLine(lines, -1, "links");
  if (linksAt === undefined || lines[linksAt]?.indent !== 0) return undefined;

  const splices: Splice[] = [];
  const inline = afterColon(raw[linksAt] ?? "");
  if (inline.value === "{}") {
    splices.push({ at: linksAt, deleteCount: 1, insert: [`links:${inline.comment}`] });
  } else if (inline.value !== "") {
    return undefined; // flow style: links: { a: … }
  }

  const blockEnd = endOfBlock(lines, linksAt);
  const entries = entriesOf(lines, linksAt, blockEnd);
  const entryIndent = entries[0]?.indent ?? DEFAULT_INDENT;
  const fieldIndent = fieldIndentOf(lines, entries) ?? DEFAULT_INDENT;
  const pad = " ".repeat(entryIndent);

  for (const entry of entries) {
    const marker = entry.start > 0 && (raw[entry.start - 1] ?? "").trim().startsWith(GONE_MARKER_PREFIX) ? entry.start - 1 : undefined;
    const first = marker ?? entry.start;
    if (edit.remove.includes(entry.key)) {
      splices.push({ at: first, deleteCount: entry.lastContent - first + 1, insert: [] });
      continue;
    }
    const note = edit.mark.get(entry.key);
    if (note !== undefined) {
      const line = `${pad}${GONE_MARKER_PREFIX} ${note}`;
      if (marker === undefined) splices.push({ at: entry.start, deleteCount: 0, insert: [line] });
      else if (raw[marker] !== line) splices.push({ at: marker, deleteCount: 1, insert: [line] });
    } else if (marker !== undefined && edit.unmark.includes(entry.key)) {
      splices.push({ at: marker, deleteCount: 1, insert: [] });
    }
  }

  const added = Object.keys(edit.add).length === 0 ? [] : dumpYaml(edit.add, fieldIndent).trimEnd().split("\n").map((line) => `${pad}${line}`);
  if (added.length > 0) splices.push({ at: lastContentLine(lines, linksAt, blockEnd) + 1, deleteCount: 0, insert: added });

  // Bottom to top, so each splice's line numbers are still those of the original text.
  for (const splice of splices.sort((a, b) => b.at - a.at)) raw.splice(splice.at, splice.deleteCount, ...splice.insert);
  const joined = raw.join(eol);
  return joined.endsWith(eol) ? joined : `${joined}${eol}`;
}

/** What follows `key:` on a line: the value text and a trailing comment (with its leading space). */
function afterColon(line: string): { value: string; comment: string } {
  const rest = line.slice(line.indexOf(":") + 1);
  const hash = rest.search(/\s#/);
  const value = (hash < 0 ? rest : rest.slice(0, hash)).trim();
  return { value, comment: hash < 0 ? "" : rest.slice(hash).trimEnd() };
}

/** The index after the last line of the block under line `parent`. */
function endOfBlock(lines: readonly OutlineLine[], parent: number): number {
  const indent = lines[parent]?.indent ?? 0;
  for (let i = parent + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line !== undefined && !line.empty && line.indent <= indent) return i;
  }
  return lines.length;
}

/** The last non-empty line of a block (the parent line itself when the block is empty). */
function lastContentLine(lines: readonly OutlineLine[], parent: number, end: number): number {
  for (let i = end - 1; i > parent; i--) if (lines[i]?.empty === false) return i;
  return parent;
}

interface EntryLines {
  key: string;
  indent: number;
  start: number;
  /** The entry's last non-empty line (comments after it belong to what follows). */
  lastContent: number;
}

function entriesOf(lines: readonly OutlineLine[], parent: number, end: number): EntryLines[] {
  const starts: number[] = [];
  let indent: number | undefined;
  for (let i = parent + 1; i < end; i++) {
    const line = lines[i];
    if (line === undefined || line.empty || line.key === undefined) continue;
    indent ??= line.indent;
    if (line.indent === indent) starts.push(i);
  }
  return starts.map((start, n) => {
    const next = starts[n + 1] ?? end;
    return { key: lines[start]?.key ?? "", indent: indent ?? DEFAULT_INDENT, start, lastContent: lastContentLine(lines, start, next) };
  });
}

/** How far an entry's fields sit inside it, so appended entries look like the ones above. */
function fieldIndentOf(lines: readonly OutlineLine[], entries: readonly EntryLines[]): number | undefined {
  for (const entry of entries) {
    for (let i = entry.start + 1; i <= entry.lastContent; i++) {
      const line = lines[i];
      if (line?.key !== undefined && !line.empty) return line.indent - entry.indent;
    }
  }
  return undefined;
}
