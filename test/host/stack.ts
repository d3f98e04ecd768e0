/**
 * A scratch stack folder laid out as a user's is after `npm install pulumi-fansly`: the package compiled into its
 * own `node_modules/pulumi-fansly` (a real folder, not a link, as npm installs it), beside `@pulumi/pulumi`, undici
 * and zod. The dynamic-provider host runs with this folder as its working directory, so the serialized shim's
 * `require("pulumi-fansly/provider")` resolves exactly as it does in a stack.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { writePluginLauncher } from "../../src/plugin/launcher";
import { writePolicyPackFolder } from "../../src/policy/packFolder";

const REPO = join(__dirname, "..", "..");
/** What the compiled package needs at run time, linked from the repo's own node_modules. */
const LINKED_DEPENDENCIES = ["undici", "zod", "js-yaml"];
/**
 * What the plugin needs besides, shared with `@pulumi/pulumi` (its protocol stubs build on them): linked from the
 * SDK's own node_modules when it has them, as npm dedupes them in a user's install, so the stubs and the plugin use
 * one copy of each.
 */
const SDK_SHARED_DEPENDENCIES = ["@grpc", "google-protobuf"];
/** What a TypeScript program needs besides: Pulumi runs it with ts-node and the project's own typescript. */
const PROGRAM_DEPENDENCIES = ["typescript", "@types"];
export const STACK_DIR_VARIABLE = "PULUMI_FANSLY_TEST_STACK";

export interface StackOptions {
  /** A node_modules folder holding the `@pulumi/pulumi` to use (default: the repo's own). */
  sdkNodeModules?: string;
  /** Also link what a TypeScript Pulumi program needs to run under the CLI. */
  forPrograms?: boolean;
}

export async function buildStack(options: StackOptions = {}): Promise<string> {
  const stackDir = await mkdtemp(join(tmpdir(), "pulumi-fansly-stack-"));
  const packageDir = join(stackDir, "node_modules", "pulumi-fansly");
  await mkdir(packageDir, { recursive: true });
  await copyFile(join(REPO, "package.json"), join(packageDir, "package.json"));
  const tsc = join(REPO, "node_modules", "typescript", "bin", "tsc");
  await promisify(execFile)(process.execPath, [tsc, "-p", join(REPO, "src", "tsconfig.build.json"), "--outDir", join(packageDir, "dist")], {
    cwd: REPO,
  });
  const linked = [...LINKED_DEPENDENCIES, ...(options.forPrograms === true ? PROGRAM_DEPENDENCIES : [])];
  for (const name of linked) {
    await symlink(join(REPO, "node_modules", name), join(stackDir, "node_modules", name), "dir");
  }
  const sdkNodeModules = options.sdkNodeModules ?? join(REPO, "node_modules");
  await symlink(join(sdkNodeModules, "@pulumi"), join(stackDir, "node_modules", "@pulumi"), "dir");
  for (const name of SDK_SHARED_DEPENDENCIES) {
    const fromSdk = join(sdkNodeModules, name);
    await symlink(existsSync(fromSdk) ? fromSdk : join(REPO, "node_modules", name), join(stackDir, "node_modules", name), "dir");
  }
  // The plugin's executable, as `npm run build` writes it.
  writePluginLauncher(join(packageDir, "dist", "plugin"));
  // The policy pack's folder files, as `npm run build` writes them.
  writePolicyPackFolder(join(packageDir, "dist", "policy"));
  return stackDir;
}

export async function removeStack(stackDir: string): Promise<void> {
  await rm(stackDir, { recursive: true, force: true });
}

/** The folder the global setup built (see test/host/globalSetup.ts). */
export function preparedStackDir(): string {
  const dir = process.env[STACK_DIR_VARIABLE];
  if (dir === undefined) throw new Error(`${STACK_DIR_VARIABLE} is not set: run the host tests through jest (globalSetup builds the stack)`);
  return dir;
}
