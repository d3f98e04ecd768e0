/** An example of examples/ as a scratch project: a copy of the built stack (the package in node_modules) with its files. */
import { copyFile, cp, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const EXAMPLES = join(__dirname, "..", "..", "examples");

/** Copies `built` (test/host/stack.ts's buildStack) and the example's program files plus `files` into a new folder. */
export async function exampleProject(built: string, example: string, files: readonly string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `pulumi-fansly-e2e-${example}-`));
  await cp(built, dir, { recursive: true, verbatimSymlinks: true });
  for (const file of ["Pulumi.yaml", "index.ts", "package.json", ...files]) await copyFile(join(EXAMPLES, example, file), join(dir, file));
  await writeFile(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", moduleResolution: "node10", skipLibCheck: true, types: ["node"] }, files: ["index.ts"] }),
  );
  return dir;
}
