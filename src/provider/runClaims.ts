/**
 * The claims of one engine run shared between its provider processes: the dynamic face's (`pulumi-resource-pulumi-
 * nodejs`) and the plugin's (`pulumi-resource-fansly`) run side by side in a stack of both faces, and a link one of
 * them holds must not be deleted by the other (src/claims.ts). Each writes its claims into a folder of the run and
 * reads the other's before a delete.
 *
 * How a run is known (measured with the CLI 3.248): the engine starts every provider plugin of one operation with
 * the same argument, its host server's address (`127.0.0.1:<port>`), a new one per operation (the preview and the
 * update of one `pulumi up` differ), and the plugins are children of the `pulumi` process (the dynamic provider
 * through a `/bin/sh` wrapper). The folder's name is that process's pid and start time (from /proc) with the port:
 * no later run can reuse it. Folders of `pulumi` processes that are gone are removed when a run makes its own.
 *
 * Linux only (/proc). Elsewhere, or when no `pulumi` ancestor is found (a provider started by hand, tests), there is
 * no shared folder and each process protects only the links of its own face.
 */
import { createHash } from "node:crypto";
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SharedClaims } from "../claims";

/**
 * Where runs keep their folders: in memory (/dev/shm, tmpfs) where there is one, since every claim is a file
 * written while the engine waits. Measured on this project's CI machine (ext4, busy): 1,000 claims took 930 ms in
 * the temp dir, 80 ms in /dev/shm.
 */
function runsFolder(): string {
  try {
    accessSync(IN_MEMORY, constants.W_OK);
    return join(IN_MEMORY, RUNS_FOLDER_NAME);
  } catch {
    return join(tmpdir(), RUNS_FOLDER_NAME);
  }
}
const IN_MEMORY = "/dev/shm";
const RUNS_FOLDER_NAME = "pulumi-fansly-runs";
/** How far up the process tree to look for `pulumi` (the plugin's parent, or the dynamic provider's grandparent). */
const MAX_ANCESTORS = 4;
const ENGINE_ADDRESS = /^[\w.-]+:(\d{1,5})$/;

/**
 * A run's claims as files: `<folder>/<hash of the link id>/<hash of the holder>`, holding the holder's name. The id
 * is hashed too: it comes from state, which an older release or a hand edit may have filled with anything (`..`).
 */
export class FolderClaims implements SharedClaims {
  constructor(readonly folder: string) {}

  record(linkId: string, holder: string, name: string): void {
    const dir = join(this.folder, fileOf(linkId));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, fileOf(holder)), name);
  }

  release(linkId: string, holder: string): void {
    try {
      unlinkSync(join(this.folder, fileOf(linkId), fileOf(holder)));
    } catch {
      // Never recorded (a holder of this process that claimed nothing shared): nothing to release.
    }
  }

  otherNames(linkId: string, holder: string): string[] {
    const dir = join(this.folder, fileOf(linkId));
    let holders: string[];
    try {
      holders = readdirSync(dir);
    } catch {
      return [];
    }
    const own = fileOf(holder);
    return holders.filter((file) => file !== own).flatMap((file) => {
      try {
        return [readFileSync(join(dir, file), "utf8")];
      } catch {
        return []; // released meanwhile
      }
    });
  }
}

/** A holder or link id as a file name: URNs hold `/` and `:`; the hash is the same in every process. */
function fileOf(text: string): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, 32);
}

/** The shared claims of the engine run this process serves, or undefined when it cannot be known (see above). */
export function claimsOfEngineRun(argv: readonly string[] = process.argv, proc = "/proc", runsAt?: string): FolderClaims | undefined {
  const port = ENGINE_ADDRESS.exec(argv[2] ?? "")?.[1];
  if (port === undefined) return undefined;
  const engine = pulumiAncestorStat(proc);
  if (engine === undefined) return undefined;
  const runs = runsAt ?? runsFolder();
  try {
    removeFoldersOfEndedRuns(proc, runs);
    const folder = join(runs, `${engine.pid}-${engine.startTime}-${port}`);
    mkdirSync(folder, { recursive: true });
    return new FolderClaims(folder);
  } catch {
    // No writable temp folder: no sharing, as on a system without /proc.
    return undefined;
  }
}

interface ProcessStat {
  pid: number;
  name: string;
  parent: number;
  startTime: string;
}

/** /proc/<pid>/stat: `pid (name) state ppid … starttime(22nd)`; the name may hold spaces and parentheses. */
function statOf(proc: string, pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(join(proc, String(pid), "stat"), "utf8");
  } catch {
    return undefined;
  }
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const rest = text.slice(close + 2).split(" ");
  // rest[0] is field 3 (state): the parent is field 4, the start time field 22.
  const parent = Number(rest[1]);
  const startTime = rest[19];
  if (open < 0 || close < open || !Number.isInteger(parent) || startTime === undefined) return undefined;
  return { pid, name: text.slice(open + 1, close), parent, startTime };
}

/** The `pulumi` process this provider serves (its parent, or the dynamic provider's grandparent), if found. */
export function pulumiAncestor(proc = "/proc"): { pid: number } | undefined {
  return pulumiAncestorStat(proc);
}

function pulumiAncestorStat(proc: string): ProcessStat | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < MAX_ANCESTORS && pid > 1; depth++) {
    const stat = statOf(proc, pid);
    if (stat === undefined) return undefined;
    if (stat.name === "pulumi") return stat;
    pid = stat.parent;
  }
  return undefined;
}

/** Folders whose `pulumi` process has exited (or whose pid now names another process): their run is over. */
function removeFoldersOfEndedRuns(proc: string, runs: string): void {
  let folders: string[];
  try {
    folders = readdirSync(runs);
  } catch {
    return;
  }
  for (const folder of folders) {
    const [pid, startTime] = folder.split("-");
    const stat = statOf(proc, Number(pid));
    if (stat?.name === "pulumi" && stat.startTime === startTime) continue;
    rmSync(join(runs, folder), { recursive: true, force: true });
  }
}
