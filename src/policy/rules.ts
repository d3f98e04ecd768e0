/**
 * The house rules the policy pack enforces, one function per rule, each with its config schema. Pure: no
 * @pulumi/policy here (src/policy/index.ts wires these into a PolicyPack), so each rule is tested on plain links.
 *
 * Every message names the resource (`TrackingLink "<name>"`), the rule (its policy name, which is also its key in
 * the `--policy-pack-config` file) and the fix. Labels and descriptions are the user's text: they are quoted with
 * JSON.stringify and escaped (escapeForDisplay), so a control character in a label is shown, never obeyed, in the
 * terminal or a PR comment.
 */
import { plural } from "../plural";
import { z } from "zod";
import { FanslyConfigError } from "../client/errors";
import { escapeForDisplay } from "../fields";
import type { PolicyLink } from "./links";
import { messageOf } from "../thrown";

/** Each rule's policy name: what Pulumi prints beside a violation and the rule's key in the pack's config file. */
export const RULES = {
  labelPattern: "fansly-label-pattern",
  descriptionRequired: "fansly-description-required",
  maxLinksPerAccount: "fansly-max-links-per-account",
  uniqueLabelPerAccount: "fansly-unique-label-per-account",
  forbiddenWords: "fansly-forbidden-words",
} as const;
export type RuleName = (typeof RULES)[keyof typeof RULES];

/** The key of `patterns` that applies to every account without a pattern of its own. */
const ANY_ACCOUNT = "*";
/** How many link names a per-account message lists before it says "and N more". */
const NAMES_LISTED = 5;

/** One violation: the message, and the URN of the link it is about. */
export interface RuleViolation {
  urn: string;
  message: string;
}

const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source, "u");
  } catch (error) {
    ctx.addIssue({ code: "custom", message: `is not a regular expression (${messageOf(error)})` });
  }
});

/** Each rule's config (the properties beside `enforcementLevel` in its entry of the config file), strict: a typo is an error. */
const RULE_CONFIG_SCHEMAS = {
  [RULES.labelPattern]: z.strictObject({
    /** Account id (or "*" for every other account) → a regular expression (JavaScript, `u` flag) each label must match. */
    patterns: z.record(z.string().min(1), regexSource).optional(),
  }),
  [RULES.descriptionRequired]: z.strictObject({}),
  [RULES.maxLinksPerAccount]: z.strictObject({
    /** The most links one account may hold in this stack. */
    max: z.number({ error: "must be a whole number of links, e.g. 50" }).int("must be a whole number of links, e.g. 50").min(0, "must be 0 or more").optional(),
  }),
  [RULES.uniqueLabelPerAccount]: z.strictObject({}),
  [RULES.forbiddenWords]: z.strictObject({
    /** Words no label or description may hold, matched whole and case-insensitively. */
    words: z.array(z.string().trim().min(1, "must not be empty")).optional(),
  }),
} as const satisfies Record<RuleName, z.ZodType>;
export type RuleConfig<R extends RuleName> = z.infer<(typeof RULE_CONFIG_SCHEMAS)[R]>;

/**
 * A rule's config from the `--policy-pack-config` file, checked; a bad one throws FanslyConfigError naming each
 * field (`fansly-label-pattern.patterns.fansly_main`) and the fix. Pulumi shows the message and fails the preview.
 */
export function parseRuleConfig<R extends RuleName>(rule: R, raw: unknown): RuleConfig<R> {
  const parsed = RULE_CONFIG_SCHEMAS[rule].safeParse(raw ?? {});
  if (parsed.success) return parsed.data as RuleConfig<R>;
  const fields = parsed.error.issues.map((issue) => [rule, ...issue.path.map(String)].join("."));
  const problems = parsed.error.issues.map((issue, index) =>
    issue.code === "unrecognized_keys" ? `${fields[index] ?? rule}: ${issue.keys.join(", ")} is not a setting of this rule` : `${fields[index] ?? rule} ${issue.message}`,
  );
  throw new FanslyConfigError(`policy pack config: ${problems.join("; ")}: fix it in the file given to --policy-pack-config (README, "House rules")`, fields);
}

function linkName(link: PolicyLink): string {
  return `TrackingLink ${quoted(link.name)}`;
}

function quoted(text: string): string {
  return escapeForDisplay(JSON.stringify(text));
}

/** `fansly-label-pattern`: each label matches its account's pattern (or the "*" pattern). */
export function checkLabelPattern(link: PolicyLink, config: RuleConfig<typeof RULES.labelPattern>): RuleViolation[] {
  const patterns = config.patterns ?? {};
  const key = link.accountId !== undefined && patterns[link.accountId] !== undefined ? link.accountId : ANY_ACCOUNT;
  const source = patterns[key];
  if (source === undefined || link.label === undefined) return [];
  if (new RegExp(source, "u").test(link.label)) return [];
  const whose = key === ANY_ACCOUNT ? `the pattern for every account ("${ANY_ACCOUNT}")` : `the pattern of account ${link.accountId ?? ""}`;
  return [
    {
      urn: link.urn,
      message:
        `${linkName(link)}: label ${quoted(link.label)} does not match ${escapeForDisplay(source)}, ${whose} (${RULES.labelPattern}). ` +
        `Fix: change the label to match, or ${RULES.labelPattern}.patterns.${key} in the policy pack config.`,
    },
  ];
}

/** `fansly-description-required`: each link has a description that is not blank. */
export function checkDescriptionRequired(link: PolicyLink): RuleViolation[] {
  if (link.description === undefined || link.description.trim() !== "") return [];
  return [{ urn: link.urn, message: `${linkName(link)} has no description (${RULES.descriptionRequired}). Fix: give it a \`description\` saying where the link is posted.` }];
}

/** `fansly-forbidden-words`: no label or description holds a forbidden word (whole word, any case). */
export function checkForbiddenWords(link: PolicyLink, config: RuleConfig<typeof RULES.forbiddenWords>): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const word of config.words ?? []) {
    const pattern = wholeWord(word);
    for (const [field, text] of [
      ["label", link.label],
      ["description", link.description],
    ] as const) {
      if (text === undefined || !pattern.test(text)) continue;
      violations.push({
        urn: link.urn,
        message: `${linkName(link)}: ${field} ${quoted(text)} holds the forbidden word ${quoted(word)} (${RULES.forbiddenWords}). Fix: reword the ${field}.`,
      });
    }
  }
  return violations;
}

/** A word as a pattern matching it whole: not inside a longer word ("ass" does not match "class"). */
function wholeWord(word: string): RegExp {
  const escaped = word.trim().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, "iu");
}

/** The stack's links by account; links whose account is not known at preview are left out. */
function byAccount(links: readonly PolicyLink[]): Map<string, PolicyLink[]> {
  const accounts = new Map<string, PolicyLink[]>();
  for (const link of links) {
    if (link.accountId === undefined) continue;
    accounts.set(link.accountId, [...(accounts.get(link.accountId) ?? []), link]);
  }
  return accounts;
}

function namesOf(links: readonly PolicyLink[]): string {
  const listed = links.slice(0, NAMES_LISTED).map((link) => quoted(link.name));
  return links.length > NAMES_LISTED ? `${listed.join(", ")} and ${links.length - NAMES_LISTED} more` : listed.join(", ");
}

/**
 * `fansly-max-links-per-account`: no account holds more than `max` links of this stack. Counts the stack's links
 * only: links made elsewhere (the dashboard, another stack) are not known to a preview. One violation per account,
 * on its first link over the limit.
 */
export function checkMaxLinksPerAccount(links: readonly PolicyLink[], config: RuleConfig<typeof RULES.maxLinksPerAccount>): RuleViolation[] {
  const max = config.max;
  if (max === undefined) return [];
  const violations: RuleViolation[] = [];
  for (const [accountId, inAccount] of byAccount(links)) {
    const over = inAccount.slice(max);
    const first = over[0];
    if (first === undefined) continue;
    violations.push({
      urn: first.urn,
      message:
        `account ${accountId} would hold ${inAccount.length} links of this stack, over the limit of ${max} (${RULES.maxLinksPerAccount}); ` +
        `over it: TrackingLink ${namesOf(over)}. Fix: remove ${plural(over.length, "link")} from the program, or raise ${RULES.maxLinksPerAccount}.max.`,
    });
  }
  return violations;
}

/** `fansly-unique-label-per-account`: no two links of one account share a label (compared exactly). */
export function checkUniqueLabelPerAccount(links: readonly PolicyLink[]): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (const [accountId, inAccount] of byAccount(links)) {
    const firstWithLabel = new Map<string, PolicyLink>();
    for (const link of inAccount) {
      if (link.label === undefined) continue;
      const first = firstWithLabel.get(link.label);
      if (first === undefined) {
        firstWithLabel.set(link.label, link);
        continue;
      }
      violations.push({
        urn: link.urn,
        message:
          `${linkName(link)} has the label ${quoted(link.label)} of ${linkName(first)} in account ${accountId} (${RULES.uniqueLabelPerAccount}). ` +
          `Fix: give one of them another label.`,
      });
    }
  }
  return violations;
}
