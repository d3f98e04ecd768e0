/**
 * The resource reference in README.md ("Resource reference"), rendered from the plugin's package schema
 * (src/plugin/schema.ts): the schema is what `pulumi package get-schema`, Pulumi YAML and SDK generators read, so a
 * table made from it cannot say something the provider does not do. The reference lives in the README between two
 * markers, not in a docs/ folder: the README is the one document the package ships (package.json `files`) and the
 * repository's top level holds no other. `npm run reference` rewrites it; resourceReference.test.ts fails when the
 * committed text differs from what the schema renders.
 */
import { z } from "zod";

export const REFERENCE_START = "<!-- resource-reference:start (generated from src/plugin/schema.ts by `npm run reference`: do not edit) -->";
export const REFERENCE_END = "<!-- resource-reference:end -->";

const PropertySchema = z.object({ type: z.string(), description: z.string(), secret: z.boolean().optional() });
type Property = z.infer<typeof PropertySchema>;
const PropertiesSchema = z.record(z.string(), PropertySchema);

/** The parts of a Pulumi package schema the reference shows; anything else in it is left out, not refused. */
const PackageSchemaSchema = z.object({
  name: z.string(),
  config: z.object({ variables: PropertiesSchema }),
  resources: z.record(
    z.string(),
    z.object({
      description: z.string(),
      inputProperties: PropertiesSchema,
      requiredInputs: z.array(z.string()).default([]),
      properties: PropertiesSchema,
      required: z.array(z.string()).default([]),
    }),
  ),
  functions: z.record(
    z.string(),
    z.object({
      description: z.string(),
      inputs: z.object({ properties: PropertiesSchema, required: z.array(z.string()).default([]) }),
      outputs: z.object({ properties: PropertiesSchema, required: z.array(z.string()).default([]) }),
    }),
  ),
});

/** A table cell: a `|` would end the cell and a line break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** A property table; `required` adds a column marking the names it lists. */
function propertyTable(properties: Record<string, Property>, required?: { names: readonly string[]; header: string }): string[] {
  const rows = Object.entries(properties).map(([name, property]) => {
    const type = `${property.type}${property.secret === true ? " (secret)" : ""}`;
    const mark = required === undefined ? [] : [required.names.includes(name) ? "yes" : ""];
    return `| ${[`\`${name}\``, type, ...mark, cell(property.description)].join(" | ")} |`;
  });
  const headers = ["name", "type", ...(required === undefined ? [] : [required.header]), "description"];
  return [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`, ...rows];
}

/** The reference's markdown, without the markers: one section per resource and function, then the provider's settings. */
export function renderResourceReference(schemaText: string): string {
  const schema = PackageSchemaSchema.parse(JSON.parse(schemaText));
  const lines: string[] = [];
  for (const [token, resource] of Object.entries(schema.resources)) {
    lines.push(`### Resource \`${token}\``, "", resource.description, "");
    lines.push("Inputs:", "", ...propertyTable(resource.inputProperties, { names: resource.requiredInputs, header: "required" }), "");
    lines.push("Outputs:", "", ...propertyTable(resource.properties, { names: resource.required, header: "always set" }), "");
  }
  for (const [token, fn] of Object.entries(schema.functions)) {
    lines.push(`### Function \`${token}\``, "", fn.description, "");
    lines.push("Arguments:", "", ...propertyTable(fn.inputs.properties, { names: fn.inputs.required, header: "required" }), "");
    lines.push("Result:", "", ...propertyTable(fn.outputs.properties, { names: fn.outputs.required, header: "always set" }), "");
  }
  lines.push(`### Provider settings (\`${schema.name}:<name>\` stack config, or an explicit \`Provider\`'s inputs)`, "");
  lines.push(...propertyTable(schema.config.variables));
  return lines.join("\n");
}

/** `readme` with the text between the markers replaced by `reference`; throws when the markers are missing. */
export function withReference(readme: string, reference: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${REFERENCE_START} … ${REFERENCE_END}`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n\n${reference}\n\n${readme.slice(end)}`;
}
