/**
 * The world every end-to-end file runs in, set up one way: the real Pulumi CLI for the SDK under test (the
 * repository's locked one, or CI's newest through PULUMI_FANSLY_E2E_SDK_NODE_MODULES), a scratch folder for its
 * home and file backend, an emulator, and project folders with the package compiled into node_modules, as
 * `npm install pulumi-fansly` leaves it. `useE2eWorld` registers the file's beforeAll/afterAll; everything it made
 * (and whatever a file adds with `afterTests`) is undone after the tests, the last made first, each step even if
 * one before it failed.
 */
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator, type RunningEmulator, type StartOptions } from "../../src/emulator";
import { buildStack } from "../host/stack";
import { PulumiCli, pulumiBinFor, type PulumiCliOptions } from "./pulumiCli";

export const REPO = join(__dirname, "..", "..");
/** The `@pulumi/pulumi` the programs and the CLI's version follow: the locked one, or CI's newest. */
export const SDK_NODE_MODULES = process.env.PULUMI_FANSLY_E2E_SDK_NODE_MODULES ?? join(REPO, "node_modules");
/** test/e2e/project: one dynamic-face TrackingLink per entry of links.json. */
export const DYNAMIC_PROJECT = join(__dirname, "project");
/** The files of a template that make a TypeScript Pulumi program. */
const PROGRAM_FILES = ["Pulumi.yaml", "index.ts", "package.json"];
const SETUP_TIMEOUT_MS = 20 * 60_000;

/** A tsconfig for a project's index.ts, strict, as `pulumi new typescript` gives a user. */
async function writeProgramTsconfig(dir: string): Promise<void> {
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node10", skipLibCheck: true, types: ["node"] }, files: ["index.ts"] }),
  );
}

/** Copies a template's program (Pulumi.yaml, index.ts, package.json, and `extraFiles`) into `dir`, with a tsconfig. */
export async function addProgram(dir: string, template: string, extraFiles: readonly string[] = []): Promise<void> {
  for (const file of [...PROGRAM_FILES, ...extraFiles]) await copyFile(join(template, file), join(dir, file));
  await writeProgramTsconfig(dir);
}

export interface WorldOptions {
  /** Names the scratch folder: pulumi-fansly-e2e-<name>-…. */
  name: string;
  emulator: StartOptions;
  /** Pulumi YAML's language host beside `pulumi` too. */
  withYaml?: boolean;
  /** A CLI whose language host runs Node.js policy packs (build-pulumi.sh --with-policy). */
  withPolicy?: boolean;
  /** Before the emulator starts: what the CLI's options need (a database server, a compiled program). */
  before?: (world: E2eWorld) => Promise<void> | void;
  /** The CLI's options, once the emulator runs (its URL in the environment, another backend). */
  cli?: (world: E2eWorld) => PulumiCliOptions;
  /** Once the CLI is ready: the file's projects and stacks. */
  setup?: (world: E2eWorld) => Promise<void> | void;
  /** Between tests: forget the emulator's requests (`beforeEach`) or its faults (`afterEach`). */
  betweenTests?: "clear requests" | "clear faults";
  /** Printed after the tests: the figures the file measured. */
  summary?: () => string | Promise<string>;
  setupTimeoutMs?: number;
}

/** The world of one e2e file; its fields are there from the file's beforeAll on. */
export class E2eWorld {
  #bin: string | undefined;
  #scratch: string | undefined;
  #emulator: RunningEmulator | undefined;
  #cli: PulumiCli | undefined;
  readonly #undo: (() => unknown)[] = [];

  /** The folder of `pulumi` and its plugins. */
  get bin(): string {
    return ready(this.#bin);
  }

  /** The CLI's home and file backend (`<scratch>/backend`), and room for a file's own scratch files. */
  get scratch(): string {
    return ready(this.#scratch);
  }

  get emulator(): RunningEmulator {
    return ready(this.#emulator);
  }

  get cli(): PulumiCli {
    return ready(this.#cli);
  }

  /** Runs after the tests, before what was registered earlier. */
  afterTests(undo: () => unknown): void {
    this.#undo.push(undo);
  }

  /**
   * A project folder: the package compiled into its node_modules (`forPrograms`: with what a TypeScript program
   * needs to run) and, with a template, its program (see addProgram). Removed after the tests.
   */
  async project(options: { template?: string; extraFiles?: readonly string[]; forPrograms?: boolean } = {}): Promise<string> {
    const dir = await buildStack({ sdkNodeModules: SDK_NODE_MODULES, forPrograms: options.forPrograms ?? options.template !== undefined });
    this.afterTests(() => rm(dir, { recursive: true, force: true }));
    if (options.template !== undefined) await addProgram(dir, options.template, options.extraFiles);
    return dir;
  }

  /** A folder removed after the tests. */
  async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), `pulumi-fansly-e2e-${prefix}-`));
    this.afterTests(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /** The emulator stopped and started again on its port with `options` (e.g. the same store, other keys). */
  async restartEmulator(options: StartOptions): Promise<RunningEmulator> {
    const port = Number(new URL(this.emulator.url).port);
    await this.emulator.close();
    this.#emulator = await startEmulator({ ...options, port });
    return this.#emulator;
  }

  async setUp(options: WorldOptions): Promise<void> {
    this.#bin = await pulumiBinFor(SDK_NODE_MODULES, { withYaml: options.withYaml === true, withPolicy: options.withPolicy === true });
    this.#scratch = await this.tempDir(options.name);
    await options.before?.(this);
    this.#emulator = await startEmulator(options.emulator);
    // The emulator of the moment: a file may have restarted it.
    this.afterTests(() => this.#emulator?.close());
    this.#cli = new PulumiCli(this.#bin, this.#scratch, options.cli?.(this));
    await this.#cli.prepare();
    await options.setup?.(this);
  }

  async tearDown(): Promise<void> {
    const failures: unknown[] = [];
    for (const undo of this.#undo.splice(0).reverse()) {
      try {
        await undo();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}

function ready<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("the e2e world is not set up yet: use it in a test or a hook, after useE2eWorld's beforeAll");
  return value;
}

/** Registers the file's world: set up before its tests, undone after them (the summary printed last). */
export function useE2eWorld(options: WorldOptions): E2eWorld {
  const world = new E2eWorld();
  beforeAll(() => world.setUp(options), options.setupTimeoutMs ?? SETUP_TIMEOUT_MS);
  afterAll(async () => {
    try {
      await world.tearDown();
    } finally {
      if (options.summary !== undefined) console.log(await options.summary());
    }
  });
  if (options.betweenTests === "clear requests") {
    beforeEach(() => {
      world.emulator.clearRequests();
    });
  }
  if (options.betweenTests === "clear faults") {
    afterEach(() => {
      world.emulator.clearFaults();
    });
  }
  return world;
}
