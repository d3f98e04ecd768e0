/**
 * The pack's policies: the house rules of src/policy/rules.ts, one policy per rule, for the TrackingLinks of both
 * faces (`pulumi-nodejs:dynamic/fansly:TrackingLink` and `fansly:index:TrackingLink`). src/policy/index.ts serves
 * them; tests call them as the analyzer does.
 *
 * Each rule is one policy, so each has its own enforcement level in the config file (`"mandatory"`, `"advisory"`,
 * `"disabled"`): a mandatory violation fails the preview, an advisory one is printed and the preview goes on.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { linkFromResource, type PolicyLink } from "./links";
import {
  checkDescriptionRequired,
  checkForbiddenWords,
  checkLabelPattern,
  checkMaxLinksPerAccount,
  checkUniqueLabelPerAccount,
  parseRuleConfig,
  RULES,
  type RuleViolation,
} from "./rules";

type Report = (message: string, urn?: string) => void;

function reportAll(violations: readonly RuleViolation[], report: Report): void {
  for (const violation of violations) report(violation.message, violation.urn);
}

/** A policy checking one link at a time, as the engine registers it. */
function linkPolicy(name: string, description: string, level: "mandatory" | "advisory", check: (link: PolicyLink, rawConfig: unknown) => RuleViolation[]): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: level,
    // Declared without types so the CLI passes the properties through and zod (rules.ts) names what is wrong.
    configSchema: { properties: {} },
    validateResource: (args, report) => {
      const link = linkFromResource(args);
      if (link !== undefined) reportAll(check(link, args.getConfig()), report);
    },
  };
}

/** A policy checking the stack's links together (limits and duplicates span links). */
function stackPolicy(name: string, description: string, check: (links: PolicyLink[], rawConfig: unknown) => RuleViolation[]): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    configSchema: { properties: {} },
    validateStack: (args, report) => {
      const links = args.resources.flatMap((resource) => linkFromResource(resource) ?? []);
      reportAll(check(links, args.getConfig()), report);
    },
  };
}

export const policies = [
  linkPolicy(RULES.labelPattern, "Each link's label matches its account's pattern.", "mandatory", (link, raw) => checkLabelPattern(link, parseRuleConfig(RULES.labelPattern, raw))),
  linkPolicy(RULES.descriptionRequired, "Each link has a description.", "advisory", (link, raw) => {
    parseRuleConfig(RULES.descriptionRequired, raw);
    return checkDescriptionRequired(link);
  }),
  linkPolicy(RULES.forbiddenWords, "No label or description holds a forbidden word.", "mandatory", (link, raw) => checkForbiddenWords(link, parseRuleConfig(RULES.forbiddenWords, raw))),
  stackPolicy(RULES.maxLinksPerAccount, "No account holds more links of this stack than the limit.", (links, raw) => checkMaxLinksPerAccount(links, parseRuleConfig(RULES.maxLinksPerAccount, raw))),
  stackPolicy(RULES.uniqueLabelPerAccount, "No two links of one account share a label.", (links, raw) => {
    parseRuleConfig(RULES.uniqueLabelPerAccount, raw);
    return checkUniqueLabelPerAccount(links);
  }),
];
