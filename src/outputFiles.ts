/**
 * Writing what a command produces (`report --out`, its snapshot, `import --out`): the one helper every command uses.
 * Each file goes to a hidden temporary file beside its target, and only when all are written are they renamed into
 * place, so a run that fails (or is killed) leaves every target as it was.
 *
 * What may be written over: nothing (a new file), or an existing regular file, whose permissions the new one keeps
 * (a 0600 report stays 0600). A symbolic link, a device, a pipe or a folder is refused, not replaced: writing "to"
 * `/dev/stdout` or to a link would otherwise swap the node for a plain file.
 */
import { chmod, lstat, mkdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { renameSync, rmSync, writeFileSync, type Stats } from "node:fs";
import { FanslyError } from "./client/errors";

export interface OutputFile {
  path: string;
  text: string;
  /** The path as the user wrote it, for messages (default: `path`). */
  shownAs?: string;
  /** Create the file's folder when missing (the snapshot folder); other outputs need an existing folder. */
  createFolder?: boolean;
}

/** An output cannot go where it was asked to: the message names the path and what to pass instead. Nothing was written. */
export class OutputFileError extends FanslyError {
  constructor(message: string) {
    super("FANSLY_VALIDATION", message);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  if (stats.isFIFO()) return "a pipe";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

/**
 * What is at `path` now: `undefined` (nothing), or a regular file and its permission bits. Anything else is an
 * `OutputFileError`. Called before any request (a command fails fast) and again just before writing.
 */
export async function checkOutputTarget(path: string, shownAs: string): Promise<{ mode: number } | undefined> {
  let stats: Stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (stats.isSymbolicLink()) {
    throw new OutputFileError(`${shownAs} is a symbolic link: it is not replaced by a file; pass the path it points to, or another file`);
  }
  if (!stats.isFile()) throw new OutputFileError(`${shownAs} is ${kindOf(stats)}, not a regular file: pass a file path for the output`);
  return { mode: stats.mode & 0o7777 };
}

/** The real path of `path`, following links in the part of it that exists (the rest joined on as written). */
async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(await realPathOf(parent), basename(absolute));
  }
}

/** True when `path` is `folder` or lies inside it (links followed). */
export async function isInsideFolder(path: string, folder: string): Promise<boolean> {
  const inside = relative(await realPathOf(folder), await realPathOf(path));
  return inside === "" || (!inside.startsWith("..") && !isAbsolute(inside));
}

/**
 * Where a file is written before it is renamed over `path`: beside it, so the rename stays on one filesystem and is
 * atomic (a reader sees the old file or the new one, never half of one), hidden, and named for this process.
 */
function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Replaces `path` with `text` whole or not at all, synchronously: for a writer whose next change must not start
 * before this one is on disk (the emulator's data file). No target checks: the caller owns the file.
 */
export function replaceFileSync(path: string, text: string): void {
  const temporary = temporaryBeside(path);
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Writes every file or none (see the module's comment). Targets are checked first; nothing is written if one is refused. */
export async function writeTogether(files: readonly OutputFile[]): Promise<void> {
  const modes = await Promise.all(files.map((file) => checkOutputTarget(file.path, file.shownAs ?? file.path)));
  const temporaries = files.map((file) => temporaryBeside(file.path));
  try {
    for (const [i, file] of files.entries()) {
      const temporary = temporaries[i] ?? "";
      if (file.createFolder === true) await mkdir(dirname(file.path), { recursive: true });
      await rm(temporary, { force: true });
      // `wx`: a temporary name that appeared meanwhile (a link planted there) is an error, never followed.
      await writeFile(temporary, file.text, { encoding: "utf8", flag: "wx" });
      const mode = modes[i]?.mode;
      if (mode !== undefined) await chmod(temporary, mode);
    }
    for (const [i, file] of files.entries()) await rename(temporaries[i] ?? "", file.path);
  } finally {
    await Promise.all(temporaries.map((temporary) => rm(temporary, { force: true })));
  }
}
