import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** dist/x/y.js is compiled from src/x/y.ts. */
function sourceOf(distPath: string): string {
  return join(root, distPath.replace(/^\.\/dist\//, "src/").replace(/^dist\//, "src/").replace(/\.(d\.ts|js)$/, ".ts"));
}

describe("package.json", () => {
  test.each([".", "./client", "./provider", "./emulator", "./plugin"])("the export %s is compiled from a source file that exists", (name) => {
    const entry = manifest.exports[name];
    expect(typeof entry).toBe("object");
    if (typeof entry !== "object") return;
    expect(existsSync(sourceOf(entry.default))).toBe(true);
    expect(sourceOf(entry.types)).toBe(sourceOf(entry.default));
  });

  test("the fansly-emulator command is compiled from a source with a node shebang", () => {
    const source = sourceOf(manifest.bin["fansly-emulator"] ?? "");
    expect(readFileSync(source, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
  });

  test("the plugin's executable is dist/plugin/pulumi-resource-fansly, on PATH as a bin, written by the build beside main.js", () => {
    expect(manifest.bin["pulumi-resource-fansly"]).toBe("dist/plugin/pulumi-resource-fansly");
    expect(existsSync(join(root, "src", "plugin", "main.ts"))).toBe(true);
    const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.build).toContain("node dist/plugin/launcher.js dist/plugin");
  });

  test("the plugin's gRPC and protobuf libraries are in the same major ranges as the SDK's own (npm dedupes them to one copy)", () => {
    const sdk = JSON.parse(readFileSync(join(root, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const major = (range: string | undefined): string | undefined => /^\^(\d+)\./.exec(range ?? "")?.[1];
    for (const name of ["@grpc/grpc-js", "google-protobuf"]) {
      expect(major(manifest.dependencies[name])).toBeDefined();
      expect(major(manifest.dependencies[name])).toBe(major(sdk.dependencies[name]));
    }
  });

  test("pins TypeScript 5, ranges that resolve on Node 20, and shares the program's own @pulumi/pulumi (a peer)", () => {
    expect(manifest.devDependencies.typescript).toMatch(/^\^5\./);
    expect(manifest.dependencies.undici).toMatch(/^\^7\./);
    expect(manifest.peerDependencies["@pulumi/pulumi"]).toMatch(/^\^3\./);
    expect(manifest.dependencies["@pulumi/pulumi"]).toBeUndefined();
    expect(manifest.engines.node).toBe(">=20.18.1");
  });
});
