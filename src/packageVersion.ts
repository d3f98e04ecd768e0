/**
 * This package's version, read from its package.json: what `pulumi-fansly --version` prints and the plugin reports
 * to the engine (GetPluginInfo, the schema). Read, not copied, so a release cannot print a stale number.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const PackageJsonSchema = z.object({ version: z.string() });

/** package.json sits one folder up from both src/ and dist/. */
export function packageVersion(): string {
  const text = readFileSync(join(__dirname, "..", "package.json"), "utf8");
  return PackageJsonSchema.parse(JSON.parse(text)).version;
}
