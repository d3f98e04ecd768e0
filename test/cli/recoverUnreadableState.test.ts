/**
 * A kill that cut a file backend's state write short (src/cli/fileBackendState.ts): every `pulumi` command then
 * fails with "failed to load checkpoint: EOF" because fileblob's sidecar `<stack>.json.attrs` is empty, while the
 * checkpoint in place is whole and the state the killed CLI had just finished writing lies beside it in
 * `<stack>.json.<hex>.tmp`. The backend folders here are real files laid out as the CLI lays them out; `pulumi`
 * itself is faked, reading those files as the CLI does (an unreadable sidecar fails every command).
 * test/e2e/recovery.e2e.ts runs the same repair through the real CLI.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { hostname, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { TrackingLink } from "../../src/client";
import { diagnoseCheckpoint, fileBackendRoot, lockHolders, repairCheckpoint, stackFiles, type StackFiles } from "../../src/cli/fileBackendState";
import { makeRecover, type PulumiResult } from "../../src/cli/recoverCommand";
import { ExportedStackSchema, type ExportedStack } from "../../src/cli/recoverPlan";
import { runCaptured } from "./capturedIo";

const PROJECT = "fansly-e2e";
const STACK = "dev";
const ACCOUNT = "fansly_demo";
const API_KEY = "unreadable-state-canary-key-51b0";
const IN_PLACE_AT = "2026-12-02T05:23:34.600000001Z";
const FINISHED_AT = "2026-12-02T05:23:34.622376389Z";
const OLDER_AT = "2026-12-02T05:23:30.000000000Z";
const DEAD_PID = 4_000_001;
const SIDECAR = '{"user.content_type":"application/octet-stream","md5":"pnbC89gZPVHyCf8dgClekw=="}\n';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "pulumi-fansly-backend-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The killed `up`'s state (test/cli/fixtures), written at `time`; `pending` pending creates of its 3 kept. */
function killedState(time: string, pending = 3): ExportedStack {
  const state = ExportedStackSchema.parse(JSON.parse(readFileSync(join(__dirname, "fixtures", "state-killed-up.json"), "utf8")));
  return { ...state, deployment: { ...state.deployment, manifest: { time }, pending_operations: state.deployment.pending_operations?.slice(0, pending) } };
}

/** The file backend writes `{ version, checkpoint: { stack, latest: <deployment> } }`. */
function checkpointText(state: ExportedStack): string {
  return JSON.stringify({ version: 3, checkpoint: { stack: `organization/${PROJECT}/${STACK}`, latest: state.deployment } });
}

interface Backend {
  files: StackFiles;
  dir: string;
}

/** A project-layout file backend holding the stack: checkpoint, sidecar, and a lock when `lockPid` is given. */
async function backend(options: { checkpoint?: string; sidecar?: string; gzip?: boolean; lockPid?: number; lockHost?: string; legacy?: boolean } = {}): Promise<Backend> {
  const bookkeeping = join(root, ".pulumi");
  const dir = options.legacy === true ? join(bookkeeping, "stacks") : join(bookkeeping, "stacks", PROJECT);
  await mkdir(dir, { recursive: true });
  if (options.legacy !== true) await writeFile(join(bookkeeping, "meta.yaml"), "version: 1\n");
  const text = options.checkpoint ?? checkpointText(killedState(IN_PLACE_AT));
  const checkpoint = join(dir, `${STACK}.json${options.gzip === true ? ".gz" : ""}`);
  await writeFile(checkpoint, options.gzip === true ? gzipSync(text) : text);
  await writeFile(`${checkpoint}.attrs`, options.sidecar ?? "");
  const lockDir = options.legacy === true ? join(bookkeeping, "locks", STACK) : join(bookkeeping, "locks", "organization", PROJECT, STACK);
  if (options.lockPid !== undefined) {
    await mkdir(lockDir, { recursive: true });
    await writeFile(join(lockDir, "3e1c.json"), JSON.stringify({ pid: options.lockPid, username: "ci", hostname: options.lockHost ?? hostname(), timestamp: OLDER_AT }));
  }
  return { files: { checkpoint, sidecar: `${checkpoint}.attrs`, lockDir }, dir };
}

/** A temporary file of fileblob's, `<checkpoint>.<hex>.tmp`, holding `text`. */
async function unfinishedWrite(at: Backend, text: string, hex = "18ed632fcb2acc96", gzip = false): Promise<string> {
  const file = `${at.files.checkpoint}.${hex}.tmp`;
  await writeFile(file, gzip ? gzipSync(text) : text);
  return file;
}

describe("finding a file backend's state", () => {
  test("file:// URLs as `pulumi whoami` prints them: absolute, ~, relative, with query; other backends are not files", () => {
    expect(fileBackendRoot("file:///srv/state?no_tmp_dir=true", "/home/ci", "/work")).toBe("/srv/state");
    expect(fileBackendRoot("file://~", "/home/ci", "/work")).toBe("/home/ci");
    expect(fileBackendRoot("file://~/state", "/home/ci", "/work")).toBe("/home/ci/state");
    expect(fileBackendRoot("file://state", "/home/ci", "/work")).toBe("/work/state");
    expect(fileBackendRoot("s3://bucket/state", "/home/ci", "/work")).toBeUndefined();
    expect(fileBackendRoot("postgres://pulumi@db/state", "/home/ci", "/work")).toBeUndefined();
    expect(fileBackendRoot("https://api.pulumi.com", "/home/ci", "/work")).toBeUndefined();
  });

  test("the project layout and the legacy one", async () => {
    const project = await backend();
    expect(await stackFiles(root, PROJECT, STACK)).toEqual(project.files);
    rmSync(join(root, ".pulumi"), { recursive: true });
    const legacy = await backend({ legacy: true });
    expect(await stackFiles(root, PROJECT, STACK)).toEqual(legacy.files);
    expect(await stackFiles(root, PROJECT, "prod")).toBeUndefined();
  });
});

describe("diagnosing and repairing a state write cut short", () => {
  test("an empty sidecar with the killed CLI's finished write beside it: the repair puts that write in place", async () => {
    const at = await backend();
    const finished = checkpointText(killedState(FINISHED_AT, 2));
    const file = await unfinishedWrite(at, finished);

    const diagnosis = await diagnoseCheckpoint(at.files);
    expect(diagnosis).toEqual({ kind: "broken-sidecar", files: at.files, checkpointWrittenAt: IN_PLACE_AT, unfinishedWrite: { file, writtenAt: FINISHED_AT } });
    if (diagnosis.kind !== "broken-sidecar") throw new Error("unreachable");
    await repairCheckpoint(diagnosis);

    expect(await readFile(at.files.checkpoint, "utf8")).toBe(finished);
    expect((await readdir(at.dir)).sort()).toEqual([`${STACK}.json`]);
  });

  test("a finished write cut short, one older than the state in place, and the .bak's own temporary file are never put in place", async () => {
    const at = await backend();
    const whole = checkpointText(killedState(FINISHED_AT));
    await unfinishedWrite(at, whole.slice(0, whole.length - 20), "aa");
    await unfinishedWrite(at, checkpointText(killedState(OLDER_AT)), "bb");
    await writeFile(`${at.files.checkpoint}.bak.cc.tmp`, whole);
    const inPlace = await readFile(at.files.checkpoint, "utf8");

    const diagnosis = await diagnoseCheckpoint(at.files);
    expect(diagnosis).toMatchObject({ kind: "broken-sidecar", unfinishedWrite: undefined });
    if (diagnosis.kind !== "broken-sidecar") throw new Error("unreachable");
    await repairCheckpoint(diagnosis);

    // Only the sidecar goes; the whole checkpoint in place stays the state.
    expect(await readFile(at.files.checkpoint, "utf8")).toBe(inPlace);
    expect(await readdir(at.dir)).not.toContain(`${STACK}.json.attrs`);
  });

  test("of two finished writes the newer is taken; a gzip backend's too", async () => {
    const at = await backend({ gzip: true, sidecar: '{"md5":' });
    await unfinishedWrite(at, checkpointText(killedState(FINISHED_AT)), "aa", true);
    const newer = await unfinishedWrite(at, checkpointText(killedState("2026-12-02T05:23:34.622376390Z")), "bb", true);

    expect(await diagnoseCheckpoint(at.files)).toMatchObject({ kind: "broken-sidecar", unfinishedWrite: { file: newer } });
  });

  test("a readable sidecar is not this failure: nothing to repair", async () => {
    const at = await backend({ sidecar: SIDECAR });
    expect(await diagnoseCheckpoint(at.files)).toMatchObject({ kind: "not-ours" });
  });

  test("a lock's holder is provably dead only on this machine with its pid gone", async () => {
    const lockDir = join(root, "locks");
    await mkdir(lockDir);
    await writeFile(join(lockDir, "a.json"), JSON.stringify({ pid: DEAD_PID, hostname: hostname() }));
    await writeFile(join(lockDir, "b.json"), JSON.stringify({ pid: process.pid, hostname: hostname() }));
    await writeFile(join(lockDir, "c.json"), JSON.stringify({ pid: DEAD_PID, hostname: "another-runner" }));
    await writeFile(join(lockDir, "d.json"), "");
    await writeFile(join(lockDir, "a.json.attrs"), SIDECAR);

    const holders = await lockHolders(lockDir, (pid) => pid === process.pid);

    expect(holders.map((h) => [h.file.slice(lockDir.length + 1), h.mayBeRunning])).toEqual([
      ["a.json", false],
      ["b.json", true],
      ["c.json", true],
      ["d.json", true],
    ]);
  });
});

// ---- the command ----

let nextId = 845759436000000000n;
function link(label: string, description: string): TrackingLink {
  nextId += 1n;
  return { id: String(nextId), label, description, type: 1000, createdAt: FINISHED_AT, clicks: 0, claims: 0, follows: 0, subscriptions: 0, totalGross: 0, totalNet: 0 };
}

/** `pulumi` as far as recover uses it, reading and writing the backend folder as the CLI does. */
function fakePulumi(url: string, checkpoint: string, lockDir = join(root, ".pulumi", "locks", "organization", PROJECT, STACK)) {
  const calls: string[] = [];
  /** The stack's lock files (name and content) at each `stack export`, and what a test does then. */
  const locksAtExport: Record<string, unknown>[][] = [];
  let onExport: (count: number) => void = () => undefined;
  let beforeImport: () => void = () => undefined;
  const lockFiles = (): string[] => (existsSync(lockDir) ? readdirSync(lockDir).filter((name) => name.endsWith(".json")) : []);
  let imported: ExportedStack | undefined;
  const unreadable = (): boolean => {
    try {
      JSON.parse(readFileSync(`${checkpoint}.attrs`, "utf8"));
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code !== "ENOENT";
    }
  };
  const run = (args: readonly string[]): Promise<PulumiResult> => {
    const command = args.filter((a) => a !== "--non-interactive").join(" ");
    calls.push(command);
    const ok = (stdout: string): Promise<PulumiResult> => Promise.resolve({ code: 0, stdout, stderr: "" });
    if (command === "whoami --verbose --json") return ok(JSON.stringify({ user: "ci", url }));
    if (unreadable()) return Promise.resolve({ code: 255, stdout: "", stderr: "error: failed to load checkpoint: EOF\n" });
    if (command.startsWith("stack export")) {
      locksAtExport.push(lockFiles().map((name) => ({ name, ...(JSON.parse(readFileSync(join(lockDir, name), "utf8")) as object) })));
      onExport(locksAtExport.length);
      const { checkpoint: saved } = JSON.parse(readFileSync(checkpoint, "utf8")) as { checkpoint: { latest: ExportedStack["deployment"] } };
      return ok(JSON.stringify({ version: 3, deployment: saved.latest }));
    }
    if (command.startsWith("cancel --yes")) {
      // The CLI removes every lock of the stack.
      rmSync(lockDir, { recursive: true, force: true });
      return ok("The currently running update for 'dev' has been canceled!");
    }
    if (command.startsWith("config --json --show-secrets")) return ok(JSON.stringify({ "fansly:apiKey": { value: API_KEY, secret: true } }));
    if (command.startsWith("stack history --json")) return ok("[]");
    if (command.startsWith("stack import --file")) {
      const locks = lockFiles();
      if (locks.length > 0) return Promise.resolve({ code: 255, stdout: "", stderr: `error: could not import deployment: the stack is currently locked by ${locks.length} lock(s).\n` });
      beforeImport();
      imported = ExportedStackSchema.parse(JSON.parse(readFileSync(args[args.indexOf("--file") + 1] ?? "", "utf8")));
      // As the CLI writes it: the checkpoint in place copied to `.bak` first, pending operations dropped.
      writeFileSync(`${checkpoint}.bak`, readFileSync(checkpoint));
      writeFileSync(checkpoint, checkpointText({ ...imported, deployment: { ...imported.deployment, pending_operations: [] } }));
      return ok("Import complete.");
    }
    return Promise.resolve({ code: 1, stdout: "", stderr: `unexpected: pulumi ${command}` });
  };
  return {
    calls,
    run,
    imported: () => imported,
    locksAtExport,
    whenExported: (hook: (count: number) => void) => (onExport = hook),
    /** Runs just before the import takes the lock: where another command's whole write could still slip in. */
    whenImporting: (hook: () => void) => (beforeImport = hook),
  };
}

async function projectFolder(): Promise<string> {
  const cwd = join(root, "project");
  await mkdir(cwd);
  await writeFile(join(cwd, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\n`);
  return cwd;
}

function recoverIn(cwd: string, fake: ReturnType<typeof fakePulumi>, alive: (pid: number) => boolean = () => false) {
  const command = makeRecover({
    runPulumi: () => fake.run,
    listLinks: () => Promise.resolve(new Map([[ACCOUNT, [link("Link 21", "d"), link("Link 43", "d")]]])),
    now: () => new Date(FINISHED_AT),
    isProcessAlive: alive,
  });
  return (...args: string[]) => runCaptured(command, args, { cwd, env: { HOME: root } });
}

describe("pulumi-fansly recover on a state whose write a kill cut short", () => {
  test("the lock's holder is dead: recover says what it repaired, writes nothing while the lock stays, then recovers from the state the killed run finished writing", async () => {
    const at = await backend({ lockPid: DEAD_PID });
    await unfinishedWrite(at, checkpointText(killedState(FINISHED_AT, 2)));
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);
    const cwd = await projectFolder();

    const repaired = await recoverIn(cwd, fake)("--stack", STACK);

    expect(repaired.stdout).toContain(`repaired stack ${STACK}'s state: the state's sidecar ${at.files.sidecar} is cut short`);
    expect(repaired.stdout).toContain(`the killed command had finished writing the next state, ${at.files.checkpoint}.18ed632fcb2acc96.tmp (written ${FINISHED_AT})`);
    // The killed run's lock is still there: no write, as `pulumi stack import` itself would refuse.
    expect(repaired.code).toBe(1);
    expect(repaired.stderr).toContain("the stack is locked");
    expect(repaired.stderr).toContain("run `pulumi cancel --stack dev`, then recover again");
    expect(fake.imported()).toBeUndefined();

    await fake.run(["cancel", "--yes", "--stack", STACK]);
    const result = await recoverIn(cwd, fake)("--stack", STACK);

    expect(result.code).toBe(0);
    // Recovery worked from the finished write: its 2 pending creates, not the 3 of the state before it.
    expect(result.stdout).toContain("2 interrupted TrackingLink create(s)");
    expect(fake.imported()?.deployment.pending_operations).toEqual([]);
    expect(repaired.stdout + repaired.stderr + result.stdout + result.stderr).not.toContain(API_KEY);
  });

  test("without --stack it finds the one stack of the project whose write was cut short", async () => {
    const at = await backend();
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);

    const result = await recoverIn(await projectFolder(), fake)();

    expect(result.stdout).toContain(`repaired stack ${STACK}'s state`);
    expect(result.code).toBe(0);
  });

  test("a lock held by a command that may still run (and write): nothing changed, and the message names the lock and --cancel-lock", async () => {
    const at = await backend({ lockPid: 4242 });
    await unfinishedWrite(at, checkpointText(killedState(FINISHED_AT)));
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);
    const before = (await readdir(at.dir)).sort();

    const result = await recoverIn(await projectFolder(), fake, () => true)("--stack", STACK);

    expect(result.code).toBe(1);
    expect((await readdir(at.dir)).sort()).toEqual(before);
    expect(result.stderr).toContain(`the stack's lock ${join(at.files.lockDir, "3e1c.json")} (pid 4242 on host ${hostname()}) may belong to a pulumi command still running`);
    expect(result.stderr).toContain("run `npx pulumi-fansly recover --cancel-lock --stack dev`");
  });

  test("--cancel-lock (no other command runs): repaired first, then the lock removed, then recovered", async () => {
    const at = await backend({ lockPid: 4242, lockHost: "another-runner" });
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);

    const result = await recoverIn(await projectFolder(), fake, () => true)("--stack", STACK, "--cancel-lock");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`repaired stack ${STACK}'s state`);
    expect(fake.calls.filter((c) => c.startsWith("cancel"))).toEqual(["cancel --yes --stack dev", "cancel --yes --stack dev"]);
    expect(fake.imported()).toBeDefined();
  });

  test("--dry-run says what it would repair, exits 0, and changes no file", async () => {
    const at = await backend({ lockPid: DEAD_PID });
    await unfinishedWrite(at, checkpointText(killedState(FINISHED_AT)));
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);
    const before = (await readdir(at.dir)).sort();

    const result = await recoverIn(await projectFolder(), fake)("--stack", STACK, "--dry-run");

    expect(result.code).toBe(0);
    expect(result.stdout).toContain("dry run: nothing repaired");
    expect((await readdir(at.dir)).sort()).toEqual(before);
    expect(await readFile(at.files.sidecar, "utf8")).toBe("");
  });

  test("a backend that is not a folder: no repair is tried, and the message says whom to ask", async () => {
    const at = await backend();
    const fake = fakePulumi("s3://team-state/pulumi", at.files.checkpoint);

    const result = await recoverIn(await projectFolder(), fake)("--stack", STACK);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the stack's state cannot be read (pulumi: error: failed to load checkpoint: EOF)");
    expect(result.stderr).toContain("this backend is not one");
  });
});

describe("no stack import over a state that changed after recover read it (file backend)", () => {
  test("the re-check runs under the stack's lock, in Pulumi's lock format, released before `pulumi stack import` takes its own", async () => {
    const at = await backend({ sidecar: SIDECAR });
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);

    const result = await recoverIn(await projectFolder(), fake)("--stack", STACK);

    expect(result.code).toBe(0);
    // 1: the read it plans from (no lock); 2: the re-check, under recover's lock; no other.
    expect(fake.locksAtExport).toHaveLength(2);
    const [planned, recheck] = fake.locksAtExport;
    expect(planned).toEqual([]);
    expect(recheck).toHaveLength(1);
    expect(recheck?.[0]).toMatchObject({ pid: process.pid, username: userInfo().username, hostname: hostname(), timestamp: new Date(FINISHED_AT).toISOString() });
    expect(recheck?.[0]?.name).toMatch(/^[0-9a-f-]{36}\.json$/);
    // The fake refuses an import while a lock file is there, as Pulumi does: it got through, so ours was gone.
    expect(fake.imported()?.deployment.pending_operations).toEqual([]);
    expect(await readdir(at.files.lockDir)).toEqual([]);
  });

  test("a command that locked the stack after recover read it: nothing written, and its lock is named", async () => {
    const at = await backend({ sidecar: SIDECAR });
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);
    // Another `pulumi up` starts right after recover's first read.
    fake.whenExported((count) => {
      if (count !== 1) return;
      mkdirSync(at.files.lockDir, { recursive: true });
      writeFileSync(join(at.files.lockDir, "other.json"), JSON.stringify({ pid: 4242, username: "ci", hostname: "another-runner", timestamp: FINISHED_AT }));
    });

    const result = await recoverIn(await projectFolder(), fake)("--stack", STACK);

    expect(result.code).toBe(1);
    expect(fake.imported()).toBeUndefined();
    expect(result.stderr).toContain(`the stack is locked (${join(at.files.lockDir, "other.json")}), so nothing was written`);
    // Recover's own lock is not left behind.
    expect(await readdir(at.files.lockDir)).toEqual(["other.json"]);
  });

  test("a write that slipped in between the re-check and the import is found in the backend's .bak and reported, exit 1", async () => {
    const at = await backend({ sidecar: SIDECAR });
    const fake = fakePulumi(`file://${root}`, at.files.checkpoint);
    // Another command's whole write (it protects l7) in the moment after recover released its lock.
    fake.whenImporting(() => {
      const written = JSON.parse(readFileSync(at.files.checkpoint, "utf8")) as { checkpoint: { latest: ExportedStack["deployment"] } };
      const resources = (written.checkpoint.latest.resources ?? []).map((r) => (r.urn.endsWith("::l7") ? { ...r, protect: true } : r));
      writeFileSync(at.files.checkpoint, checkpointText({ version: 3, deployment: { ...written.checkpoint.latest, resources } }));
    });

    const result = await recoverIn(await projectFolder(), fake)("--stack", STACK);

    expect(fake.imported()).toBeDefined();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the state it replaced (${at.files.checkpoint}.bak) is not the one recover checked`);
    expect(result.stderr).toContain("that write is now overwritten");
  });
});
