/**
 * The client's guards: a value that cannot be used is refused before it reaches a URL or a request body, by the
 * field rules of src/fields.ts. Internal: not exported by the package.
 */
import { ACCOUNT_ID_PATTERN, characterCount, labelTextProblem, LINK_ID_PATTERN } from "../../fields";
import { FanslyValidationError } from "../errors";

/** Refuses an account id that cannot be one before it reaches a URL. Never echoes the value. */
export function assertAccountId(accountId: unknown): asserts accountId is string {
  if (typeof accountId !== "string" || !ACCOUNT_ID_PATTERN.test(accountId)) {
    throw new FanslyValidationError(
      "FANSLY_VALIDATION",
      `accountId must be apifansly's account id (letters, digits, _ or -, like fansly_…), got ${describeValue(accountId)}: ` +
        "GET /api/fansly/accounts or the apifansly dashboard lists yours",
    );
  }
}

/** Refuses a link id that is not a snowflake (a string of digits). */
export function assertLinkId(id: unknown, field = "trackingLinkId"): asserts id is string {
  if (typeof id !== "string" || !LINK_ID_PATTERN.test(id)) {
    throw new FanslyValidationError(
      "FANSLY_VALIDATION",
      `${field} must be a tracking link id, a string of up to 20 digits such as "845759434926862336", got ${describeValue(id)}`,
    );
  }
}

/**
 * Refuses a label no API could want (blank, a control or bidi-override character, only invisible characters; see
 * src/fields.ts) before it is sent. Its length is left to the API: our limit is a guess, the server's is the rule.
 */
export function assertLabel(label: unknown): asserts label is string {
  if (typeof label !== "string" || label.trim().length === 0) {
    throw new FanslyValidationError(
      "FANSLY_VALIDATION",
      `label must be a non-empty string, got ${describeValue(label)}: give the link a name such as "Twitter bio"`,
    );
  }
  const problem = labelTextProblem(label);
  if (problem !== undefined) throw new FanslyValidationError("FANSLY_VALIDATION", `label ${problem}`);
}

export function assertDescription(description: unknown): asserts description is string {
  if (typeof description !== "string") {
    throw new FanslyValidationError("FANSLY_VALIDATION", `description must be a string, got ${describeValue(description)}`);
  }
}

/** Describes a bad value by kind and size, never by content (it could be a pasted secret). */
function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return value.trim().length === 0 ? `a blank string` : `a string of ${characterCount(value)} characters`;
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
