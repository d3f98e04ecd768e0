/**
 * What `pulumi-fansly import` does to a data file, decided without any I/O: which account links are new (and their
 * keys), which entries are gone, which differ. Existing entries are never changed here: a person's edits win.
 */
import type { TrackingLink } from "../client";
import { PLUGIN_TRACKING_LINK_TYPE } from "../plugin/tokens";
import { compactSpec, LinkSpecSchema, slugify, type LinkSetData, type LinkSpec } from "../linkSet/file";

export interface ImportPlan {
  /** The file's data after the import (existing entries untouched, new ones last, pruned ones gone). */
  data: LinkSetData;
  /** New entries, in the account's order. */
  added: { key: string; spec: LinkSpec }[];
  /** Entries of this account whose link the account no longer has. */
  gone: { key: string; trackingLinkId: string }[];
  /** Entries of this account whose link is still there (their markers, if any, are stale). */
  present: string[];
  /** Entries without a trackingLinkId that an account link matched by label: not added twice, left as they are. */
  matchedByLabel: { key: string; trackingLinkId: string }[];
  /** Entries whose label or description differ from the account's: the file wins at the next `pulumi up`. */
  differs: { key: string; fields: string[] }[];
  /**
   * Account links the link-set file cannot declare as they are (a label with a control character, blank, too long;
   * a description too long), by the file parser's own rules: left out, so the file written always parses.
   */
  undeclarable: { trackingLinkId: string; reasons: string[] }[];
}

export interface PlanInput {
  accountId: string;
  /** The account's custom links (built-in ones already left out), in the account's order. */
  links: readonly TrackingLink[];
  /** The data already in the output file, if there is one. */
  existing: LinkSetData | undefined;
  /** Remove gone entries instead of keeping them. */
  prune: boolean;
}

export function planImport({ accountId, links, existing, prune }: PlanInput): ImportPlan {
  const entries = Object.entries(existing?.links ?? {});
  const ofThisAccount = entries.filter(([, spec]) => (spec.accountId ?? existing?.accountId ?? accountId) === accountId);
  const byId = new Map(links.map((link) => [link.id, link]));
  const claimed = new Set<string>();

  const present: string[] = [];
  const gone: ImportPlan["gone"] = [];
  const differs: ImportPlan["differs"] = [];
  for (const [key, spec] of ofThisAccount) {
    if (spec.trackingLinkId === undefined) continue;
    const link = byId.get(spec.trackingLinkId);
    if (link === undefined) {
      gone.push({ key, trackingLinkId: spec.trackingLinkId });
      continue;
    }
    claimed.add(link.id);
    present.push(key);
    const fields = [
      ...(link.label === spec.label ? [] : ["label"]),
      ...(link.description === (spec.description ?? "") ? [] : ["description"]),
    ];
    if (fields.length > 0) differs.push({ key, fields });
  }

  // An entry without an id was probably created by the stack already: its link must not come back as a second entry.
  const matchedByLabel: ImportPlan["matchedByLabel"] = [];
  for (const [key, spec] of ofThisAccount) {
    if (spec.trackingLinkId !== undefined) continue;
    const twin = links.find((link) => !claimed.has(link.id) && link.label === spec.label);
    if (twin === undefined) continue;
    claimed.add(twin.id);
    matchedByLabel.push({ key, trackingLinkId: twin.id });
  }

  const taken = new Set(entries.map(([key]) => key));
  const added: ImportPlan["added"] = [];
  const undeclarable: ImportPlan["undeclarable"] = [];
  for (const link of links) {
    if (claimed.has(link.id)) continue;
    const spec = compactSpec({ label: link.label, description: link.description, trackingLinkId: link.id });
    const reasons = reasonsNotDeclarable(spec);
    if (reasons.length > 0) {
      undeclarable.push({ trackingLinkId: link.id, reasons });
      continue;
    }
    const key = uniqueKey(slugify(link.label), taken);
    taken.add(key);
    added.push({ key, spec });
  }

  const pruned = new Set(prune ? gone.map((entry) => entry.key) : []);
  const kept = entries.filter(([key]) => !pruned.has(key));
  const data: LinkSetData = {
    ...(existing === undefined ? { accountId } : existing.accountId === undefined ? {} : { accountId: existing.accountId }),
    links: Object.fromEntries([...kept, ...added.map(({ key, spec }) => [key, spec] as const)]),
  };
  return { data, added, gone, present, matchedByLabel, differs, undeclarable };
}

/** Why the link-set parser would refuse this entry (its own schema, so the two cannot disagree), one reason a field. */
function reasonsNotDeclarable(spec: LinkSpec): string[] {
  const parsed = LinkSpecSchema.safeParse(spec);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.map(String).join(".") || "entry"} ${issue.message}`);
}

/** `base`, or `base-2`, `base-3`, … : the first one not taken. */
function uniqueKey(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Pulumi's bulk import file (`pulumi import --file <file>`, the format of the CLI's `importFile`: `resources` of
 * `{ type, name, id }`), for stacks on the plugin face. Each id names its account (`<accountId>/<linkId>`), so the
 * import does not depend on the stack's default account; names are the link-set keys the same links would get.
 */
export interface PulumiImportFile {
  resources: { type: string; name: string; id: string }[];
}

export function pulumiImportFile(accountId: string, added: ImportPlan["added"]): PulumiImportFile {
  return {
    resources: added.flatMap(({ key, spec }) =>
      spec.trackingLinkId === undefined ? [] : [{ type: PLUGIN_TRACKING_LINK_TYPE, name: key, id: `${accountId}/${spec.trackingLinkId}` }],
    ),
  };
}
