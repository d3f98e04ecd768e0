/* global process, console */
// `npm run prepare` (kept in src/toolchain, beside the CLI build): npm runs it after `npm install` / `npm ci` in
// this repository, and when it installs the package from a git URL or a `file:` folder (then in the package's own
// checkout, before packing it). dist/ is not in git, so without this a dependency on a clone installs a package
// with no code in it.
//
// Git URLs need nothing more: npm installs the clone's dependencies, dev ones included, before running prepare. A
// `file:` folder gets no such install (pacote's DirFetcher only runs prepare; `npm_package_resolved` tells that
// case from the repository's own install), so a fresh clone used as `file:../..` installs its own first, from the
// lockfile, with scripts off (this script is one of them).
//
// Packed as a dependency, a dist/ newer than every source is used as it is: each example's `npm install` would
// otherwise compile the same sources again (9 s apiece). The repository's own install always builds.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const BUILD_INPUTS = ["src", "package.json", "tsconfig.json"];
const BUILT_MARKER = "dist/index.js";

const npm = process.env.npm_execpath;
const run = (args) =>
  npm === undefined
    ? execFileSync("npm", args, { stdio: "inherit" })
    : execFileSync(process.execPath, [npm, ...args], { stdio: "inherit" });

/** The newest modification time under `path` (a file or a folder), in ms. */
function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

const packedAsDependency = process.env.npm_package_resolved !== undefined;
if (packedAsDependency && existsSync(BUILT_MARKER) && statSync(BUILT_MARKER).mtimeMs > Math.max(...BUILD_INPUTS.map(newestMtime))) {
  console.error("pulumi-fansly prepare: dist/ is newer than the sources, packing it as it is");
} else {
  if (packedAsDependency && !existsSync("node_modules/typescript/package.json")) {
    console.error("pulumi-fansly prepare: installing the build's dependencies into this checkout first (npm ci)");
    run(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]);
  }
  run(["run", "build"]);
}
