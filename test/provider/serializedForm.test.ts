/** Which object TrackingLink hands to Pulumi's closure serializer: the shim module itself, or a copy of it. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the shim is an `export =` module
import shim = require("../../src/provider/shim");
import { isSafeToReference, providerToSerialize, SHIM_MODULE } from "../../src/provider/serializedForm";

const project = "/home/me/links";

describe("isSafeToReference", () => {
  test("an npm or yarn install (node_modules/pulumi-fansly, a real folder) is written by reference", () => {
    expect(isSafeToReference(`${project}/node_modules/pulumi-fansly/dist/provider/shim.js`, project)).toBe(true);
  });

  test("a package hoisted to a monorepo's root node_modules is written by reference too", () => {
    expect(isSafeToReference("/home/me/node_modules/pulumi-fansly/dist/provider/shim.js", project)).toBe(true);
  });

  test("a package outside any node_modules (linked, or the sources) is copied by the serializer anyway", () => {
    expect(isSafeToReference("/home/me/src/pulumi-fansly/dist/provider/shim.js", project)).toBe(true);
  });

  test.each([
    ["pnpm's store", `${project}/node_modules/.pnpm/pulumi-fansly@0.1.0/node_modules/pulumi-fansly/dist/provider/shim.js`],
    ["a copy nested under another package", `${project}/node_modules/some-kit/node_modules/pulumi-fansly/dist/provider/shim.js`],
  ])("%s would be written under a name the host cannot load: copy instead", (_layout, path) => {
    expect(isSafeToReference(path, project)).toBe(false);
  });
});

describe("providerToSerialize", () => {
  test("returns the shim module's own exports when safe, so the serializer can refer to them", () => {
    expect(providerToSerialize(`${project}/node_modules/pulumi-fansly/dist/provider/shim.js`, project)).toBe(shim);
  });

  test("returns a copy with the same two methods otherwise, which the serializer writes by value", () => {
    const copy = providerToSerialize(`${project}/node_modules/.pnpm/x/node_modules/pulumi-fansly/dist/provider/shim.js`, project);
    expect(copy).not.toBe(shim);
    expect(Object.keys(copy).sort()).toEqual(["configure", "create"]);
    expect(copy.create).toBe(shim.create);
  });
});

test("package.json exports the shim under its own file path, so the name the serializer writes always loads", () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")) as { exports: Record<string, unknown> };
  const subpath = `./${SHIM_MODULE.slice("pulumi-fansly/".length)}`;
  expect(manifest.exports[subpath]).toBe(subpath);
});
