/**
 * The policy pack's rules on plain links (src/policy/rules.ts), and the pack's policies called as the analyzer
 * calls them, with resources of both faces (src/policy/policies.ts).
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { FanslyConfigError } from "../../src/client/errors";
import { DYNAMIC_TRACKING_LINK_TYPE, PLUGIN_TRACKING_LINK_TYPE } from "../../src/plugin/tokens";
import type { PolicyLink } from "../../src/policy/links";
import { policies } from "../../src/policy/policies";
import {
  checkDescriptionRequired,
  checkForbiddenWords,
  checkLabelPattern,
  checkMaxLinksPerAccount,
  checkUniqueLabelPerAccount,
  parseRuleConfig,
  RULES,
} from "../../src/policy/rules";

function link(name: string, fields: Partial<PolicyLink> = {}): PolicyLink {
  return { name, urn: `urn:pulumi:dev::p::${DYNAMIC_TRACKING_LINK_TYPE}::${name}`, accountId: "fansly_main", label: `Twitter ${name}`, description: "bio", ...fields };
}

describe("fansly-label-pattern", () => {
  const config = { patterns: { fansly_main: "^(Twitter|Reddit) ", "*": "^Other " } };

  test("a label breaking its account's pattern is a violation naming the link, the label, the rule and the setting to change", () => {
    const [violation, ...more] = checkLabelPattern(link("bio", { label: "Insta bio" }), config);
    expect(more).toEqual([]);
    expect(violation?.urn).toContain("::bio");
    expect(violation?.message).toContain('TrackingLink "bio": label "Insta bio" does not match ^(Twitter|Reddit) , the pattern of account fansly_main (fansly-label-pattern)');
    expect(violation?.message).toContain("Fix: change the label to match, or fansly-label-pattern.patterns.fansly_main");
  });

  test("a matching label passes; an account without its own pattern takes the \"*\" one", () => {
    expect(checkLabelPattern(link("bio", { label: "Reddit bio" }), config)).toEqual([]);
    expect(checkLabelPattern(link("x", { accountId: "fansly_other", label: "Twitter x" }), config)[0]?.message).toContain('the pattern for every account ("*")');
    expect(checkLabelPattern(link("x", { accountId: "fansly_other", label: "Other x" }), config)).toEqual([]);
  });

  test("no pattern configured, or a label not known until up: nothing to check", () => {
    expect(checkLabelPattern(link("bio", { label: "anything" }), {})).toEqual([]);
    expect(checkLabelPattern(link("bio", { label: undefined }), config)).toEqual([]);
  });

  test("a control character in a label is shown escaped in the message, never raw", () => {
    const message = checkLabelPattern(link("bio", { label: "Insta\u001b[2Jbio" }), config)[0]?.message ?? "";
    expect(message).not.toContain("\u001b");
    expect(message).toContain("\\u001b");
  });
});

describe("fansly-description-required", () => {
  test("an empty or blank description is a violation; one that is not known until up is not", () => {
    expect(checkDescriptionRequired(link("a", { description: "" }))[0]?.message).toBe(
      'TrackingLink "a" has no description (fansly-description-required). Fix: give it a `description` saying where the link is posted.',
    );
    expect(checkDescriptionRequired(link("a", { description: "  " }))).toHaveLength(1);
    expect(checkDescriptionRequired(link("a", { description: undefined }))).toEqual([]);
    expect(checkDescriptionRequired(link("a"))).toEqual([]);
  });
});

describe("fansly-forbidden-words", () => {
  test("a forbidden word in the label or the description, in any case, is a violation per field", () => {
    const violations = checkForbiddenWords(link("a", { label: "FREE stuff", description: "get it free" }), { words: ["free"] });
    expect(violations.map((v) => v.message)).toEqual([
      'TrackingLink "a": label "FREE stuff" holds the forbidden word "free" (fansly-forbidden-words). Fix: reword the label.',
      'TrackingLink "a": description "get it free" holds the forbidden word "free" (fansly-forbidden-words). Fix: reword the description.',
    ]);
  });

  test("a word only inside a longer word is not a match, and regex characters in a word are literal", () => {
    expect(checkForbiddenWords(link("a", { label: "freedom", description: "" }), { words: ["free"] })).toEqual([]);
    expect(checkForbiddenWords(link("a", { label: "Twitter a", description: "" }), { words: ["."] })).toEqual([]);
    expect(checkForbiddenWords(link("a", { label: "only 18+ here", description: "" }), { words: ["18+"] })).toHaveLength(1);
  });
});

describe("fansly-max-links-per-account", () => {
  test("an account over the limit gets one violation, on its first link over it, naming the count, the links over it and the fix", () => {
    const links = [link("a"), link("b"), link("c"), link("d", { accountId: "fansly_other" })];
    const violations = checkMaxLinksPerAccount(links, { max: 2 });
    expect(violations).toEqual([
      {
        urn: links[2]?.urn,
        message:
          'account fansly_main would hold 3 links of this stack, over the limit of 2 (fansly-max-links-per-account); over it: TrackingLink "c". ' +
          "Fix: remove 1 link from the program, or raise fansly-max-links-per-account.max.",
      },
    ]);
  });

  test("at the limit, or with no limit configured, there is no violation", () => {
    expect(checkMaxLinksPerAccount([link("a"), link("b")], { max: 2 })).toEqual([]);
    expect(checkMaxLinksPerAccount([link("a"), link("b")], {})).toEqual([]);
  });
});

describe("fansly-unique-label-per-account", () => {
  test("a second link with a label already used in its account is a violation naming both links", () => {
    const links = [link("a", { label: "Bio" }), link("b", { label: "Bio" }), link("c", { label: "Bio", accountId: "fansly_other" })];
    const violations = checkUniqueLabelPerAccount(links);
    expect(violations).toEqual([
      {
        urn: links[1]?.urn,
        message: 'TrackingLink "b" has the label "Bio" of TrackingLink "a" in account fansly_main (fansly-unique-label-per-account). Fix: give one of them another label.',
      },
    ]);
  });

  test("labels differing only in case are different labels", () => {
    expect(checkUniqueLabelPerAccount([link("a", { label: "Bio" }), link("b", { label: "bio" })])).toEqual([]);
  });
});

describe("the pack's config, checked with zod", () => {
  test("a pattern that is not a regular expression is an error naming the field and the fix", () => {
    expect(() => parseRuleConfig(RULES.labelPattern, { patterns: { fansly_main: "^(Twitter" } })).toThrow(FanslyConfigError);
    expect(() => parseRuleConfig(RULES.labelPattern, { patterns: { fansly_main: "^(Twitter" } })).toThrow(
      /policy pack config: fansly-label-pattern\.patterns\.fansly_main is not a regular expression \(.*\): fix it in the file given to --policy-pack-config/,
    );
  });

  test("a misspelt setting, a limit that is not a whole number and an empty word are each named", () => {
    expect(() => parseRuleConfig(RULES.labelPattern, { pattern: {} })).toThrow("fansly-label-pattern: pattern is not a setting of this rule");
    expect(() => parseRuleConfig(RULES.maxLinksPerAccount, { max: "50" })).toThrow("fansly-max-links-per-account.max must be a whole number of links, e.g. 50");
    expect(() => parseRuleConfig(RULES.maxLinksPerAccount, { max: 2.5 })).toThrow("fansly-max-links-per-account.max must be a whole number of links, e.g. 50");
    expect(() => parseRuleConfig(RULES.forbiddenWords, { words: ["ok", " "] })).toThrow("fansly-forbidden-words.words.1 must not be empty");
  });

  test("no config for a rule is an empty config", () => {
    expect(parseRuleConfig(RULES.maxLinksPerAccount, undefined)).toEqual({});
  });
});

describe("the pack's policies, as the analyzer calls them", () => {
  type Validate = (args: unknown, report: (message: string) => void) => void;
  /** A policy's validate function; ours are synchronous, so a test reads what they reported right after the call. */
  function validateOf(name: string): Validate {
    const found = policies.find((p) => p.name === name) as (ResourceValidationPolicy & StackValidationPolicy) | undefined;
    const validate = found?.validateResource ?? found?.validateStack;
    if (validate === undefined) throw new Error(`no policy ${name}`);
    return validate as Validate;
  }
  const resource = (type: string, name: string, props: Record<string, unknown>) => ({ type, name, urn: `urn:pulumi:dev::p::${type}::${name}`, props });

  test("each rule is one policy, mandatory except the description rule, which is advisory", () => {
    expect(Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]))).toEqual({
      [RULES.labelPattern]: "mandatory",
      [RULES.descriptionRequired]: "advisory",
      [RULES.forbiddenWords]: "mandatory",
      [RULES.maxLinksPerAccount]: "mandatory",
      [RULES.uniqueLabelPerAccount]: "mandatory",
    });
  });

  test("a resource rule checks links of both faces (a stray __provider, as Remediate would see it, ignored) and nothing else", () => {
    const reported: string[] = [];
    const validate = validateOf(RULES.labelPattern);
    const getConfig = () => ({ patterns: { "*": "^Twitter " } });
    for (const [type, props] of [
      [DYNAMIC_TRACKING_LINK_TYPE, { __provider: "exports.handler = …", label: "Insta", accountId: "fansly_main", description: "" }],
      [PLUGIN_TRACKING_LINK_TYPE, { label: "Insta", accountId: "fansly_main", description: "" }],
      ["pulumi:pulumi:Stack", { label: "Insta" }],
    ] as const) {
      validate({ ...resource(type, "bio", props), getConfig }, (message) => {
        reported.push(message);
      });
    }
    expect(reported).toHaveLength(2);
  });

  test("a stack rule counts links of both faces together", () => {
    const reported: string[] = [];
    const validate = validateOf(RULES.uniqueLabelPerAccount);
    const resources = [resource(DYNAMIC_TRACKING_LINK_TYPE, "a", { label: "Bio", accountId: "fansly_main" }), resource(PLUGIN_TRACKING_LINK_TYPE, "b", { label: "Bio", accountId: "fansly_main" })];
    validate({ resources, getConfig: () => ({}) }, (message) => {
      reported.push(message);
    });
    expect(reported).toEqual(['TrackingLink "b" has the label "Bio" of TrackingLink "a" in account fansly_main (fansly-unique-label-per-account). Fix: give one of them another label.']);
  });

  test("a bad config fails the policy with the config error, not a silent pass", () => {
    const validate = validateOf(RULES.forbiddenWords);
    expect(() => {
      validate({ ...resource(PLUGIN_TRACKING_LINK_TYPE, "a", { label: "x" }), getConfig: () => ({ words: "free" }) }, () => undefined);
    }).toThrow(
      "fansly-forbidden-words.words",
    );
  });
});
