/**
 * The layout of a fleet project (a stack per account, examples/agency-fleet): the one place that says where a
 * stack's files are, so `import --all-accounts` writes what the example program and `fleet` read.
 *
 *   Pulumi.yaml                   the project; its program reads links/<stack>.yaml (pulumi.getStack())
 *   Pulumi.<stack>.yaml           one per account: `fansly:accountId`
 *   links/<stack>.yaml            that account's TrackingLinkSet file
 *
 * A stack's name comes from its account's name, which is the account holder's text (untrusted): it is reduced to
 * lower-case ASCII letters, digits and dashes, so it is a valid Pulumi stack name and a safe file name, and an
 * account whose name reduces to nothing or to a name already taken gets its id instead (ids are checked ASCII).
 */
import { readdir } from "node:fs/promises";
import { load } from "js-yaml";
import { z } from "zod";

/** What `pulumi-fansly fleet` runs over a project's stacks, in the order its usage lists them. */
export const FLEET_OPERATIONS = ["preview", "up", "destroy", "drift"] as const;
export type FleetOperation = (typeof FLEET_OPERATIONS)[number];

/** The folder of the link-set files, one per stack. */
const LINKS_FOLDER = "links";
/** Long enough to tell accounts apart, short enough for a table column and a CI job name. */
const MAX_STACK_NAME_LENGTH = 40;
const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/;
/** What `fleet` accepts as a stack name (Pulumi's rule for a stack name without org and project). */
export const STACK_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/;

/** The link-set file of `stack`, relative to the project folder. */
export function linkSetFileOf(stack: string): string {
  return `${LINKS_FOLDER}/${stack}.yaml`;
}

/** The stack config file of `stack`, relative to the project folder. */
export function stackConfigFileOf(stack: string): string {
  return `Pulumi.${stack}.yaml`;
}

/** `name` as a stack name: lower-case ASCII letters, digits and single dashes; "" when nothing of it is left. */
export function slugOf(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents split off by NFKD: "Zoë" → "Zoe"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_STACK_NAME_LENGTH)
    .replace(/^-+|-+$/g, "");
}

/**
 * A stack name per account, in the order given: the slug of its name, else (no name, nothing left of it, or taken)
 * its id. `kept` maps accounts that already have a stack (from an earlier import) to that stack: a renamed account
 * keeps its stack. `existing`: every stack the project has; a new account never takes one of their names.
 */
export function stackNamesFor(
  accounts: readonly { accountId: string; name?: string | null | undefined }[],
  kept: ReadonlyMap<string, string>,
  existing: ReadonlySet<string> = new Set(),
): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>([...kept.values(), ...existing]);
  for (const { accountId } of accounts) {
    const stack = kept.get(accountId);
    if (stack !== undefined) names.set(accountId, stack);
  }
  for (const { accountId, name } of accounts) {
    if (names.has(accountId)) continue;
    const slug = slugOf(name ?? "");
    const stack = slug !== "" && !taken.has(slug) ? slug : accountId;
    taken.add(stack);
    names.set(accountId, stack);
  }
  return names;
}

/** The stacks of a project: its `Pulumi.<stack>.yaml` files, sorted by name. */
export async function stacksIn(projectDir: string): Promise<string[]> {
  const entries = await readdir(projectDir);
  return entries.flatMap((entry) => STACK_FILE.exec(entry)?.[1] ?? []).sort();
}

/** The text `import --all-accounts` writes to a new Pulumi.<stack>.yaml. */
export function stackConfigText(accountId: string): string {
  return `# Written by \`pulumi-fansly import --all-accounts\`: this stack manages account ${accountId}.\n` +
    `# Its links are in ${LINKS_FOLDER}/<this stack>.yaml; the API key comes from FANSLY_API_KEY (or fansly:apiKey).\n` +
    `config:\n  fansly:accountId: ${accountId}\n`;
}

const StackConfigSchema = z.looseObject({ config: z.looseObject({ "fansly:accountId": z.unknown().optional() }).nullish() }).nullish();

/** The account a stack config file names (`fansly:accountId`); `undefined` when it names none or is not YAML. */
export function accountOfStackConfig(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = load(text);
  } catch {
    return undefined;
  }
  const config = StackConfigSchema.safeParse(parsed);
  const account = config.success ? config.data?.config?.["fansly:accountId"] : undefined;
  return typeof account === "string" ? account : undefined;
}
