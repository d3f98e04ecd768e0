/**
 * Writes the plugin's executable: Pulumi runs a provider plugin as a file named `pulumi-resource-<package>` in the
 * folder a program names (`plugins: providers: [{name: fansly, path: <folder>}]`) or on PATH, and runs it directly,
 * so it must be extensionless and executable. TypeScript emits neither, so `npm run build` calls this after `tsc`
 * (`node dist/plugin/launcher.js dist/plugin`); test/host/stack.ts does the same for its scratch packages.
 */
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const PLUGIN_EXECUTABLE = "pulumi-resource-fansly";

const LAUNCHER_TEXT = [
  "#!/usr/bin/env node",
  "// The Pulumi resource plugin of pulumi-fansly, written by its build (src/plugin/launcher.ts).",
  '"use strict";',
  'require("./main.js").main();',
  "",
].join("\n");

/** Writes `<pluginDir>/pulumi-resource-fansly`, mode 0755, beside the compiled main.js; returns its path. */
export function writePluginLauncher(pluginDir: string): string {
  const path = join(pluginDir, PLUGIN_EXECUTABLE);
  writeFileSync(path, LAUNCHER_TEXT);
  // writeFileSync's mode is filtered by the umask; chmod is not.
  chmodSync(path, 0o755);
  return path;
}

if (require.main === module) {
  const pluginDir = process.argv[2];
  if (pluginDir === undefined) {
    process.stderr.write("usage: node dist/plugin/launcher.js <folder of the compiled plugin, e.g. dist/plugin>\n");
    process.exitCode = 2;
  } else {
    writePluginLauncher(pluginDir);
  }
}
