/**
 * The policy violations `pulumi preview --policy-pack …` prints (the pulumi-fansly pack's house rules, or any
 * other pack's), read from the preview's text for the pull-request comment. Pulumi prints them in one of two shapes:
 *
 *   --diff, inline, the message from column 0 on the next lines (pkg/backend/display/diff.go, no line prefix):
 *     `    pulumi-fansly@v0.1.0 [mandatory]  fansly-label-pattern  (fansly:index:TrackingLink: bio)<policy description>`
 *     `TrackingLink "bio": label "Insta" does not match …`
 *   the plain display's "Policies:" section, description and message indented under the line:
 *     `        - [mandatory]  fansly-label-pattern  (fansly:index:TrackingLink: bio)`
 *     `          <policy description>`
 *     `          TrackingLink "bio": label "Insta" does not match …`
 *
 * The text is already clean (cleanPreviewText: no colour, control characters escaped); the comment puts each field
 * in a code span, so a label inside a message is inert there too.
 */
import { plural } from "../plural";

type EnforcementLevel = "mandatory" | "advisory";

export interface PolicyViolation {
  level: EnforcementLevel;
  /** The policy's name (for our pack, the rule: `fansly-label-pattern`). */
  policy: string;
  /** The resource's type and name, as Pulumi prints them; the stack itself for a violation with no resource. */
  type: string;
  name: string;
  /** What the pack said: for ours, the link, the rule and the fix. */
  message: string;
}

// `[severity: high]` only when the pack sets one; `remediate` lines are not violations.
const LEVEL_AND_POLICY = String.raw`\[(mandatory|advisory)\](?: \[severity: [a-z]+\])?  (\S+)  \((.+?): ([^():]*)\)`;
/** The --diff shape: pack@version, then the rest on one line, the policy's description glued to the `)`. */
const INLINE = new RegExp(String.raw`^\s*\S+@v\S+ ${LEVEL_AND_POLICY}(.*)$`);
/** The "Policies:" shape: a list item; description and message follow, indented deeper. */
const LISTED = new RegExp(String.raw`^(\s*)- ${LEVEL_AND_POLICY}\s*$`);

/** Every violation in the preview's (clean) lines, in the order printed; the same one printed twice counts once. */
export function parsePolicyViolations(lines: readonly string[]): PolicyViolation[] {
  const found = new Map<string, PolicyViolation>();
  const add = (violation: PolicyViolation): void => {
    const key = `${violation.level}\u0000${violation.policy}\u0000${violation.type}\u0000${violation.name}\u0000${violation.message}`;
    if (!found.has(key)) found.set(key, violation);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const inline = INLINE.exec(line);
    if (inline !== null) {
      // The message: the lines after, from column 0, up to an indented or empty line (the diff goes on indented).
      const message: string[] = [];
      while (i + 1 < lines.length && /^\S/.test(lines[i + 1] ?? "") && !isSectionHeading(lines[i + 1] ?? "")) message.push(lines[++i] ?? "");
      add(violationOf(inline, message.join(" ")));
      continue;
    }
    const listed = LISTED.exec(line);
    if (listed !== null) {
      // Description first, then the message, each line deeper than the "- [level]" line.
      const deeper = (listed[1] ?? "").length + 2;
      const body: string[] = [];
      while (i + 1 < lines.length && indentOf(lines[i + 1] ?? "") >= deeper && (lines[i + 1] ?? "").trim() !== "") body.push((lines[++i] ?? "").trim());
      add(violationOf(listed.slice(1), body.slice(1).join(" ")));
    }
  }
  return [...found.values()];
}

/** `match`: the level, policy, type and name from index 1 on (INLINE's groups; LISTED's without its indent). */
function violationOf(match: readonly (string | undefined)[], message: string): PolicyViolation {
  const [, level, policy, type, name] = match;
  return { level: level === "mandatory" ? "mandatory" : "advisory", policy: policy ?? "", type: type ?? "", name: (name ?? "").trim(), message: message.trim() };
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Pulumi's own section headings, which end a message printed from column 0. */
function isSectionHeading(line: string): boolean {
  return /^(Resources|Policies|Diagnostics|Outputs|Policy Packs run):\s*$/.test(line.trim()) || /^Previewing /.test(line);
}

/** The headline's words for the violations that failed a preview, e.g. "2 mandatory policy violations (fansly-label-pattern)". */
export function mandatoryHeadline(violations: readonly PolicyViolation[]): string | undefined {
  const mandatory = violations.filter((v) => v.level === "mandatory");
  if (mandatory.length === 0) return undefined;
  const policies = [...new Set(mandatory.map((v) => v.policy))];
  return `${plural(mandatory.length, "mandatory policy violation")} (${policies.join(", ")})`;
}
