/**
 * The package as users get it: compiled, `npm pack`ed, and installed into a scratch stack folder. Built from a
 * copy of the sources (the repository's own dist/ is left alone), with `--ignore-scripts` since the copy is
 * already compiled.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
/** The repository: the nearest folder up from here whose package.json is pulumi-fansly's (this file runs compiled). */
export const REPO = findRepo(__dirname);
const REPO_NODE_MODULES = join(REPO, "node_modules");
/** What a stack needs besides the package: the SDK the program and the provider host load. */
const SDK = "@pulumi/pulumi";

export interface PackedPackage {
  tarball: string;
  version: string;
  /** Scratch root holding the tarball and the stacks made from it. */
  scratch: string;
}

/** Compiles a copy of the repository's sources (src/tsconfig.build.json, as `npm run build`) and packs it. */
export async function packPackage(): Promise<PackedPackage> {
  const scratch = await mkdtemp(join(tmpdir(), "pulumi-fansly-bench-"));
  const staging = join(scratch, "package");
  await mkdir(staging);
  for (const entry of ["package.json", "README.md", "tsconfig.json", "src"]) {
    await cp(join(REPO, entry), join(staging, entry), { recursive: true });
  }
  // Same relative layout as the repository, so the source maps in dist/ point where `npm pack` in the repo would.
  await symlink(REPO_NODE_MODULES, join(staging, "node_modules"), "dir");
  await run(process.execPath, [join(REPO_NODE_MODULES, "typescript", "bin", "tsc"), "-p", join("src", "tsconfig.build.json")], { cwd: staging });
  // The plugin's executable, as `npm run build` writes it (src/plugin/launcher.ts).
  await run(process.execPath, [join("dist", "plugin", "launcher.js"), join("dist", "plugin")], { cwd: staging });
  await rm(join(staging, "node_modules"));
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", scratch], { cwd: staging });
  const file = stdout.trim().split("\n").at(-1) ?? "";
  const { version } = JSON.parse(await readFile(join(staging, "package.json"), "utf8")) as { version: string };
  return { tarball: join(scratch, file), version, scratch };
}

export async function sdkVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(REPO_NODE_MODULES, SDK, "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/**
 * A stack folder after `npm install <tarball> @pulumi/pulumi@<the repo's version>`, from the npm cache when it can
 * (offline), else from the registry. `extraFiles` are written into the folder (the program).
 */
export async function installedStack(
  packed: PackedPackage,
  name: string,
  dependencies: { pulumiFansly: boolean },
  files: Record<string, string>,
): Promise<string> {
  const dir = join(packed.scratch, name);
  await mkdir(dir);
  const deps: Record<string, string> = { [SDK]: await sdkVersion() };
  if (dependencies.pulumiFansly) deps["pulumi-fansly"] = `file:${packed.tarball}`;
  await writeFile(join(dir, "package.json"), JSON.stringify({ name, private: true, main: "index.js", dependencies: deps }, null, 2));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  const args = ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel", "error"];
  try {
    await run("npm", [...args, "--offline"], { cwd: dir });
  } catch {
    await run("npm", [...args, "--prefer-offline"], { cwd: dir });
  }
  return dir;
}

/**
 * The other way a stack gets the package: the tarball unpacked into node_modules/pulumi-fansly (a real folder),
 * its dependencies and the SDK linked from the repository (as test/host/stack.ts does).
 */
export async function extractedStack(packed: PackedPackage, name: string): Promise<string> {
  const dir = join(packed.scratch, name);
  const target = join(dir, "node_modules", "pulumi-fansly");
  await mkdir(target, { recursive: true });
  await run("tar", ["-xzf", packed.tarball, "-C", target, "--strip-components=1"]);
  for (const dep of ["undici", "zod", "js-yaml", "@pulumi"]) {
    await symlink(join(REPO_NODE_MODULES, dep), join(dir, "node_modules", dep), "dir");
  }
  return dir;
}

/** A stack whose node_modules/pulumi-fansly is a symlink to an unpacked copy (`npm link`, a `file:` folder). */
export async function linkedStack(packed: PackedPackage, name: string): Promise<string> {
  const unpacked = join(packed.scratch, `${name}-package`);
  await mkdir(unpacked);
  await run("tar", ["-xzf", packed.tarball, "-C", unpacked, "--strip-components=1"]);
  await mkdir(join(unpacked, "node_modules"));
  for (const dep of ["undici", "zod", "js-yaml", "@pulumi"]) {
    await symlink(join(REPO_NODE_MODULES, dep), join(unpacked, "node_modules", dep), "dir");
  }
  const dir = join(packed.scratch, name);
  await mkdir(join(dir, "node_modules"), { recursive: true });
  await symlink(unpacked, join(dir, "node_modules", "pulumi-fansly"), "dir");
  await symlink(join(REPO_NODE_MODULES, "@pulumi"), join(dir, "node_modules", "@pulumi"), "dir");
  return dir;
}

/** Serializes `provider` the way `pulumi.dynamic.Resource` does, in a Node process whose cwd is the stack. */
export async function serializedIn(stackDir: string, providerExpression: string): Promise<string> {
  const script = `
const { serializeFunction } = require("@pulumi/pulumi/runtime");
const provider = ${providerExpression};
serializeFunction(() => provider, { allowSecrets: true }).then((s) => process.stdout.write(s.text));`;
  const { stdout } = await run(process.execPath, ["-e", script], { cwd: stackDir, env: { ...process.env }, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

export async function removeScratch(packed: PackedPackage): Promise<void> {
  await rm(packed.scratch, { recursive: true, force: true });
}

function findRepo(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "pulumi-fansly") return dir;
  }
  throw new Error(`no pulumi-fansly package.json above ${from}`);
}
