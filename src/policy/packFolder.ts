/**
 * Makes the compiled src/policy a policy pack folder: the CLI loads a pack from a folder holding PulumiPolicy.yaml
 * (its runtime and name), and @pulumi/policy reads the pack's version from the package.json of that folder (the
 * working directory the language host gives it). TypeScript emits neither, so `npm run build` calls this after
 * `tsc` (`node dist/policy/packFolder.js dist/policy`), as it writes the plugin's launcher; test/host/stack.ts does
 * the same for its scratch packages.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageVersion } from "../packageVersion";

/** The pack's name in PulumiPolicy.yaml (Pulumi prints it with the version above the violations). */
export const POLICY_PACK_NAME = "pulumi-fansly";

/** Writes PulumiPolicy.yaml and package.json into `packDir` (the compiled src/policy). */
export function writePolicyPackFolder(packDir: string, version: string = packageVersion()): void {
  writeFileSync(
    join(packDir, "PulumiPolicy.yaml"),
    [`# Written by pulumi-fansly's build (src/policy/packFolder.ts).`, "runtime: nodejs", `name: ${POLICY_PACK_NAME}`, `version: ${version}`, ""].join("\n"),
  );
  // No "type": the compiled files are CommonJS, as in the rest of dist.
  writeFileSync(join(packDir, "package.json"), `${JSON.stringify({ name: `${POLICY_PACK_NAME}-policy-pack`, version, private: true, main: "index.js" }, null, 2)}\n`);
}

if (require.main === module) {
  const packDir = process.argv[2];
  if (packDir === undefined) {
    process.stderr.write("usage: node dist/policy/packFolder.js <folder of the compiled pack, e.g. dist/policy>\n");
    process.exitCode = 2;
  } else {
    writePolicyPackFolder(packDir);
  }
}
