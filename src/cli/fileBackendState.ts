/**
 * A file backend's state that a kill left unreadable, and its repair. Used by `pulumi-fansly recover` when every
 * `pulumi` command on the stack (even `pulumi cancel`) fails with "failed to load checkpoint: EOF".
 *
 * What leaves it (both CLIs, 3.248 and 3.276: gocloud.dev/blob/fileblob, which the file backend writes through).
 * Each checkpoint write puts the new state in a temporary file beside the checkpoint (`<stack>.json.<hex>.tmp`: the
 * CLI opens the bucket with `no_tmp_dir`), closes it, then writes the sidecar `<stack>.json.attrs` (content type and
 * MD5) with `os.Create` — which empties the file first — and only then renames the temporary file over the
 * checkpoint. A SIGKILL between emptying the sidecar and writing it leaves an empty sidecar; every later read
 * decodes it first and fails with Go's `io.EOF`. The checkpoint itself is intact (the rename is atomic and never
 * happened), and the temporary file holds the complete state the killed CLI had just written, one step newer.
 * During a busy `up` the CLI rewrites the checkpoint for every step start and end, so a kill lands in that window
 * often: 3 of the first 4 full runs of test/e2e/recovery.e2e.ts on 3.276.
 *
 * The repair finishes what the killed CLI was doing: it removes the broken sidecar (a missing sidecar is read as "no
 * metadata"; the next write makes a new one) and renames the finished temporary file into place when it is a whole
 * checkpoint newer than the one in place. `<stack>.json.bak` is not used: it is the copy of the checkpoint made just
 * before the interrupted write, so it is never newer than the checkpoint in place.
 */
import { randomUUID } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname, userInfo } from "node:os";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { z } from "zod";

/** The file backend's bookkeeping folder under the backend's root (Pulumi's `workspace.BookkeepingDir`). */
const BOOKKEEPING_DIR = ".pulumi";
/** fileblob's sidecar suffix (gocloud.dev/blob/fileblob `attrsExt`). */
const SIDECAR_SUFFIX = ".attrs";
/** The checkpoint names a file backend uses: plain, or compressed when PULUMI_DIY_BACKEND_GZIP / _COMPRESSION is set. */
const CHECKPOINT_SUFFIXES = [".json", ".json.gz"] as const;
/** fileblob's temporary file: `<final path>.<nanoseconds in hex>.tmp`. */
const UNFINISHED_WRITE = /^\.[0-9a-f]+\.tmp$/;

const MetaSchema = z.looseObject({ version: z.number().optional() });
const LockSchema = z.looseObject({ pid: z.number(), hostname: z.string() });
/** Just enough of a checkpoint to know it is whole and when it was written. */
const CheckpointSchema = z.looseObject({
  checkpoint: z.looseObject({ stack: z.string(), latest: z.looseObject({ manifest: z.looseObject({ time: z.string() }) }).nullish() }),
});

/** Where one stack's state lives in a file backend. */
export interface StackFiles {
  checkpoint: string;
  sidecar: string;
  lockDir: string;
}

interface UnfinishedWrite {
  file: string;
  /** The manifest time of the state it holds. */
  writtenAt: string;
}

export type CheckpointDiagnosis =
  /** Not a sidecar problem: the checkpoint is missing, or the error is something else. */
  | { kind: "not-ours"; detail: string }
  | { kind: "broken-sidecar"; files: StackFiles; checkpointWrittenAt: string | undefined; unfinishedWrite: UnfinishedWrite | undefined };

export interface LockHolder {
  file: string;
  pid: number | undefined;
  host: string | undefined;
  /** False only when provably dead: a process of this host whose pid is gone. */
  mayBeRunning: boolean;
}

/**
 * The folder a `file://` backend URL (as `pulumi whoami --verbose --json` prints it) stores state in; undefined for
 * every other backend. `~` is the user's home, as the CLI reads it; a relative path is taken from `cwd`.
 */
export function fileBackendRoot(url: string, home: string | undefined, cwd: string): string | undefined {
  if (!url.startsWith("file://")) return undefined;
  const path = decodeURIComponent(url.slice("file://".length).split("?")[0] ?? "");
  if (path === "~" || path.startsWith("~/")) return home === undefined ? undefined : join(home, path.slice(1));
  return isAbsolute(path) ? path : resolve(cwd, path);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The stack's files: the project layout (`.pulumi/stacks/<project>/<stack>.json`, Pulumi ≥ 3.61's default, marked by
 * `.pulumi/meta.yaml` version 1) or the legacy one (`.pulumi/stacks/<stack>.json`). Undefined when neither exists.
 */
export async function stackFiles(root: string, project: string, stack: string): Promise<StackFiles | undefined> {
  const bookkeeping = join(root, BOOKKEEPING_DIR);
  const meta = MetaSchema.safeParse(await readFile(join(bookkeeping, "meta.yaml"), "utf8").then(parseMetaYaml, () => ({})));
  const projectLayout = meta.success && (meta.data.version ?? 0) >= 1;
  const base = projectLayout ? join(bookkeeping, "stacks", project, stack) : join(bookkeeping, "stacks", stack);
  const lockDir = projectLayout ? join(bookkeeping, "locks", "organization", project, stack) : join(bookkeeping, "locks", stack);
  for (const suffix of CHECKPOINT_SUFFIXES) {
    const checkpoint = base + suffix;
    if (await exists(checkpoint)) return { checkpoint, sidecar: checkpoint + SIDECAR_SUFFIX, lockDir };
  }
  return undefined;
}

/** meta.yaml is one line, `version: 1`; read without a YAML parser so a broken file simply means "legacy". */
function parseMetaYaml(text: string): unknown {
  const match = /^version:\s*(\d+)\s*$/m.exec(text);
  return match === null ? {} : { version: Number(match[1]) };
}

/** The stack names in the project's folder whose sidecar is broken: recover's guess when no --stack is given. */
export async function stacksWithBrokenSidecar(root: string, project: string): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of [join(root, BOOKKEEPING_DIR, "stacks", project), join(root, BOOKKEEPING_DIR, "stacks")]) {
    for (const entry of await readdir(dir).catch(() => [] as string[])) {
      const suffix = CHECKPOINT_SUFFIXES.find((s) => entry.endsWith(s + SIDECAR_SUFFIX));
      if (suffix === undefined) continue;
      if (!(await isReadableSidecar(join(dir, entry)))) names.add(entry.slice(0, -(suffix + SIDECAR_SUFFIX).length));
    }
  }
  return [...names].sort();
}

/** fileblob decodes the sidecar as one JSON value; anything else (an empty file above all) fails every read. */
async function isReadableSidecar(path: string): Promise<boolean> {
  try {
    JSON.parse(await readFile(path, "utf8"));
    return true;
  } catch (error) {
    // No sidecar is fine: fileblob reads it as "no metadata".
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** The manifest time of a whole checkpoint file; undefined when it is cut short, not a checkpoint, or unreadable. */
async function checkpointWrittenAt(file: string, compressed: boolean): Promise<string | undefined> {
  try {
    const bytes = await readFile(file);
    const parsed = CheckpointSchema.safeParse(JSON.parse((compressed ? gunzipSync(bytes) : bytes).toString("utf8")));
    return parsed.success ? (parsed.data.checkpoint.latest?.manifest.time ?? "") : undefined;
  } catch {
    return undefined;
  }
}

/** Go writes RFC 3339 with nanoseconds; compared as numbers, the digits past milliseconds break ties. */
function isLater(a: string, b: string | undefined): boolean {
  if (b === undefined || Number.isNaN(Date.parse(b))) return true;
  const [aMs, bMs] = [Date.parse(a), Date.parse(b)];
  if (aMs !== bMs) return aMs > bMs;
  return (/\.(\d+)/.exec(a)?.[1] ?? "").padEnd(9, "0") > (/\.(\d+)/.exec(b)?.[1] ?? "").padEnd(9, "0");
}

export async function diagnoseCheckpoint(files: StackFiles): Promise<CheckpointDiagnosis> {
  if (await isReadableSidecar(files.sidecar)) {
    return { kind: "not-ours", detail: `its sidecar ${files.sidecar} is readable, so the kill did not cut the state's write short there` };
  }
  const compressed = files.checkpoint.endsWith(".gz");
  const current = await checkpointWrittenAt(files.checkpoint, compressed);
  let newest: UnfinishedWrite | undefined;
  const dir = dirname(files.checkpoint);
  const name = basename(files.checkpoint);
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    if (!entry.startsWith(name) || !UNFINISHED_WRITE.test(entry.slice(name.length))) continue;
    const writtenAt = await checkpointWrittenAt(join(dir, entry), compressed);
    // A temporary file cut short, or older than the state in place (left by an earlier kill), is not the state.
    if (writtenAt === undefined || !isLater(writtenAt, current) || (newest !== undefined && !isLater(writtenAt, newest.writtenAt))) continue;
    newest = { file: join(dir, entry), writtenAt };
  }
  return { kind: "broken-sidecar", files, checkpointWrittenAt: current, unfinishedWrite: newest };
}

/** Whether a process with this pid exists on this machine (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The stack's lock files and whether their holder may still be running (and so may be writing the state). */
export async function lockHolders(lockDir: string, alive: (pid: number) => boolean = isProcessAlive): Promise<LockHolder[]> {
  const holders: LockHolder[] = [];
  for (const entry of await readdir(lockDir).catch(() => [] as string[])) {
    if (!entry.endsWith(".json")) continue;
    const file = join(lockDir, entry);
    let content: z.infer<typeof LockSchema> | undefined;
    try {
      const parsed = LockSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
      content = parsed.success ? parsed.data : undefined;
    } catch {
      content = undefined;
    }
    const provablyDead = content !== undefined && content.hostname === hostname() && !alive(content.pid);
    holders.push({ file, pid: content?.pid, host: content?.hostname, mayBeRunning: !provablyDead });
  }
  return holders;
}

/** Finishes the interrupted write: the broken sidecar removed, the finished temporary file (if any) put in place. */
export async function repairCheckpoint(diagnosis: Extract<CheckpointDiagnosis, { kind: "broken-sidecar" }>): Promise<void> {
  await rm(diagnosis.files.sidecar, { force: true });
  if (diagnosis.unfinishedWrite !== undefined) await rename(diagnosis.unfinishedWrite.file, diagnosis.files.checkpoint);
}

/** One paragraph for people: what is broken, and what the repair does (or would do). */
export function describeRepair(diagnosis: Extract<CheckpointDiagnosis, { kind: "broken-sidecar" }>): string {
  const { files, unfinishedWrite, checkpointWrittenAt: current } = diagnosis;
  return (
    `the state's sidecar ${files.sidecar} is cut short (a pulumi command was killed while it wrote the state), so ` +
    `every pulumi command on the stack fails with "failed to load checkpoint: EOF". The checkpoint ${files.checkpoint} ` +
    `is whole${current === undefined || current === "" ? "" : ` (written ${current})`}; ` +
    (unfinishedWrite === undefined
      ? "no newer finished write lies beside it. Repair: remove the sidecar (the next write makes a new one)."
      : `the killed command had finished writing the next state, ${unfinishedWrite.file} (written ${unfinishedWrite.writtenAt}). ` +
        "Repair: remove the sidecar and move that file into place as the checkpoint, as the killed command was about to.")
  );
}

/** The stack lock recover holds while it checks the state it is about to replace; `release` removes it. */
export interface HeldLock {
  file: string;
  release(): Promise<void>;
}

/** The lock files in `lockDir` other than `own` (fileblob keeps `.attrs` sidecars beside them; they are not locks). */
async function otherLocks(lockDir: string, own: string | undefined): Promise<string[]> {
  return (await readdir(lockDir).catch(() => [] as string[])).filter((entry) => entry.endsWith(".json") && join(lockDir, entry) !== own).map((entry) => join(lockDir, entry));
}

/**
 * Takes the stack's lock as the file backend's own commands do (Pulumi's pkg/backend/diy/lock.go `Lock`): no other
 * lock file may be there, ours is written (`<uuid>.json`: pid, username, hostname, timestamp, the fields Pulumi
 * prints when it refuses), then the folder is read again, and a lock that appeared meanwhile makes us back off.
 * While it is held, every pulumi command that writes the stack (`up`, `refresh`, `destroy`, `stack import`, `state`)
 * refuses at its start with "the stack is currently locked". `pulumi cancel` removes it, as it removes any.
 *
 * @returns the held lock, or the lock files of whoever holds the stack
 */
export async function takeStackLock(lockDir: string, now: Date = new Date()): Promise<HeldLock | { heldBy: string[] }> {
  const before = await otherLocks(lockDir, undefined);
  if (before.length > 0) return { heldBy: before };
  await mkdir(lockDir, { recursive: true });
  const file = join(lockDir, `${randomUUID()}.json`);
  const content = { pid: process.pid, username: userInfo().username, hostname: hostname(), timestamp: now.toISOString() };
  await writeFile(file, JSON.stringify(content));
  const release = (): Promise<void> => rm(file, { force: true });
  const after = await otherLocks(lockDir, file);
  if (after.length > 0) {
    await release();
    return { heldBy: after };
  }
  return { file, release };
}

/** The file backend's copy of a checkpoint before its last write (Pulumi's pkg/backend/diy/state.go `backupTarget`). */
export function backupOf(files: StackFiles): string {
  return `${files.checkpoint}.bak`;
}

/**
 * The deployment (what `pulumi stack export` prints under `deployment`) that the checkpoint before the stack's last
 * write held: every checkpoint write first copies the checkpoint in place to `<stack>.json.bak`. Undefined when
 * there is no such copy or it cannot be read.
 */
export async function deploymentBeforeLastWrite(files: StackFiles): Promise<unknown> {
  try {
    const bytes = await readFile(backupOf(files));
    const json: unknown = JSON.parse((files.checkpoint.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8"));
    const parsed = z.looseObject({ checkpoint: z.looseObject({ latest: z.unknown() }) }).safeParse(json);
    return parsed.success ? parsed.data.checkpoint.latest : undefined;
  } catch {
    return undefined;
  }
}
