/**
 * The README's resource reference is generated from the plugin's schema and cannot drift from it: this test fails
 * when the committed text differs, and `npm run reference` (this file with UPDATE_RESOURCE_REFERENCE=1) rewrites it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageSchema } from "../../src/plugin/schema";
import { REFERENCE_END, REFERENCE_START, renderResourceReference, withReference } from "./resourceReference";

const README = join(__dirname, "..", "..", "README.md");
// The version is not shown in the reference; a fixed one keeps the rendering independent of package.json.
const SCHEMA = packageSchema("0.0.0");

describe("the README's resource reference", () => {
  it("is what the plugin's schema renders (run `npm run reference` after changing src/plugin/schema.ts)", () => {
    const committed = readFileSync(README, "utf8");
    const expected = withReference(committed, renderResourceReference(SCHEMA));
    if (process.env.UPDATE_RESOURCE_REFERENCE === "1" && expected !== committed) writeFileSync(README, expected);
    expect(readFileSync(README, "utf8")).toBe(expected);
  });

  it("shows every input and output of every resource and function, and every provider setting", () => {
    const schema = JSON.parse(SCHEMA) as {
      config: { variables: Record<string, unknown> };
      resources: Record<string, { inputProperties: Record<string, unknown>; properties: Record<string, unknown> }>;
      functions: Record<string, { inputs: { properties: Record<string, unknown> }; outputs: { properties: Record<string, unknown> } }>;
    };
    const reference = renderResourceReference(SCHEMA);
    const names = [
      ...Object.keys(schema.config.variables),
      ...Object.values(schema.resources).flatMap((r) => [...Object.keys(r.inputProperties), ...Object.keys(r.properties)]),
      ...Object.values(schema.functions).flatMap((f) => [...Object.keys(f.inputs.properties), ...Object.keys(f.outputs.properties)]),
    ];
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) expect(reference).toContain(`| \`${name}\` |`);
    for (const token of [...Object.keys(schema.resources), ...Object.keys(schema.functions)]) expect(reference).toContain(`\`${token}\``);
  });

  it("marks required inputs and secret settings, and keeps a description's | inside its cell", () => {
    const schema = JSON.stringify({
      name: "fansly",
      config: { variables: { apiKey: { type: "string", description: "the key", secret: true } } },
      resources: {
        "fansly:index:Thing": {
          description: "A thing.",
          inputProperties: { a: { type: "string", description: "one | two" }, b: { type: "integer", description: "b" } },
          requiredInputs: ["a"],
          properties: { a: { type: "string", description: "a" } },
          required: [],
        },
      },
      functions: {},
    });
    const reference = renderResourceReference(schema);
    expect(reference).toContain("| `a` | string | yes | one \\| two |");
    expect(reference).toContain("| `b` | integer |  | b |");
    expect(reference).toContain("| `apiKey` | string (secret) | the key |");
  });

  it("is found between its markers in the README", () => {
    const readme = readFileSync(README, "utf8");
    expect(readme.indexOf(REFERENCE_START)).toBeGreaterThan(0);
    expect(readme.indexOf(REFERENCE_END)).toBeGreaterThan(readme.indexOf(REFERENCE_START));
  });
});
