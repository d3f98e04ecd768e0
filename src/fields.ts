/**
 * The rules of a tracking link's fields, in one place: how long a label and a description may be, what an id and
 * an account id look like, which characters a label may not hold, and which properties a link has. The provider's
 * `check`, the link-set file, the client's guards, the CLIs and the emulator all take their rules from here, so a
 * change to a rule (when Fansly publishes its real limits) is made once.
 *
 * Each rule is a function returning the reason a value breaks it (`undefined` when it is fine), worded to follow
 * the field's name ("label " + reason), and a zod schema built on that function for faces that parse with zod.
 */
import { z } from "zod";

/**
 * Fansly's UI caps a link's name; apifansly documents no limit, so 100 is our guess (the emulator agrees).
 * Counted in code points, as a person counts: "🎉" is one character, not two UTF-16 units. Neither the contract nor
 * Fansly's public pages say how Fansly counts; a server that counts UTF-16 units would refuse a label of over 50
 * astral characters (emoji), and its 400 names the limit.
 */
export const MAX_LABEL_LENGTH = 100;
/** Our guess at the description limit, as above, in code points. */
export const MAX_DESCRIPTION_LENGTH = 500;
/** apifansly's account id (`fansly_…`): checked before it goes into a URL path. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
/** A tracking link id: a snowflake, as a string of digits. */
export const LINK_ID_PATTERN = /^\d{1,20}$/;
/** Every property a tracking link has as input, in the order messages list them. */
export const LINK_PROPERTIES = ["label", "description", "accountId", "trackingLinkId"] as const;
export type LinkProperty = (typeof LINK_PROPERTIES)[number];

/**
 * A link's traffic counters, as the API names them: what Fansly counts, not what a program sets. The dynamic face
 * keeps them in state; the plugin face reads them live (getTrackingLinkStats); the emulator grows them.
 */
export const TRAFFIC_COUNTERS = ["clicks", "claims", "follows", "subscriptions", "totalGross", "totalNet"] as const;
export type TrafficCounter = (typeof TRAFFIC_COUNTERS)[number];

/** Fansly's `type` for the three links every account has (For You, Search, Suggestions): they cannot be edited or deleted. */
export const BUILT_IN_LINK_TYPE = 1;
/** Fansly's `type` for a link a creator made. */
export const CUSTOM_LINK_TYPE = 1000;

/**
 * A counter as Pulumi state and outputs hold it: a number. The client keeps a counter beyond 2^53 exact (a bigint,
 * see CounterSchema); Pulumi's values are JSON numbers (doubles), and every release reads `clicks` and the rest as
 * numbers, so state gets the nearest number. Exact up to 9,007,199,254,740,991; the report keeps every digit.
 */
export function counterForState(value: number | bigint | undefined): number | undefined {
  return typeof value === "bigint" ? Number(value) : value;
}

/** An example id for messages: 18 digits, as Fansly's snowflakes are. */
export const EXAMPLE_LINK_ID = "845759434926862336";

/** Length as a person counts it: in code points, so an emoji or a CJK extension character counts once. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * Characters that change how text is shown without being seen: C0/C1 controls (a newline, a NUL) and the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), with which a label can show
 * one text and hold another ("‮txt.exe" shows as "exe.txt"). A label is one visible line: none of them belongs.
 */
const CONTROL_OR_BIDI = "[\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069]";
const FORBIDDEN_IN_LABEL = new RegExp(CONTROL_OR_BIDI, "u");
const SHOWN_ESCAPED = new RegExp(CONTROL_OR_BIDI, "gu");

/**
 * Text from the API (a label someone typed in a dashboard, a server's message) as a terminal may show it: every
 * character of FORBIDDEN_IN_LABEL's class written as a visible escape (`\u001b`), so an ESC sequence, an OSC title,
 * a NUL or a right-to-left override is seen, never obeyed. `keepLineBreaks` leaves `\n`, `\r\n` and `\t` alone, for
 * whole messages and documents whose lines are ours. In JSON text, and in YAML's double-quoted scalars, the escape
 * is the language's own: applied there it changes no value.
 */
export function escapeForDisplay(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  return text.replace(SHOWN_ESCAPED, (character, offset: number) =>
    options.keepLineBreaks === true && (character === "\n" || character === "\t" || (character === "\r" && text[offset + 1] === "\n"))
      ? character
      : `\\u${(character.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

/** True when `escapeForDisplay` would change `text` (with `keepLineBreaks`). */
export function needsDisplayEscape(text: string): boolean {
  return escapeForDisplay(text, { keepLineBreaks: true }) !== text;
}
/**
 * Characters that take no visible room: spaces, format characters (zero-width space and joiners, word joiner, BOM,
 * soft hyphen, the bidi marks), variation selectors and the Hangul/Braille blanks. Allowed inside a label (a
 * zero-width joiner builds 👩‍💻), but a label of only these looks empty.
 */
const INVISIBLE_CLASS = /^[\p{White_Space}\p{Cf}]$/u;
/** Blanks outside those classes, by code point (some are combining marks, which a regex class would mislead on). */
const INVISIBLE_CODE_POINTS: ReadonlySet<number> = new Set([0x034f, 0x115f, 0x1160, 0x180b, 0x180c, 0x180d, 0x2800, 0x3164, 0xffa0]);
const VARIATION_SELECTORS = { first: 0xfe00, last: 0xfe0f };

function isInvisible(character: string): boolean {
  const codePoint = character.codePointAt(0) ?? 0;
  return (
    INVISIBLE_CLASS.test(character) ||
    INVISIBLE_CODE_POINTS.has(codePoint) ||
    (codePoint >= VARIATION_SELECTORS.first && codePoint <= VARIATION_SELECTORS.last)
  );
}

/** Names for the characters a person is most likely to have pasted by accident. */
const CHARACTER_NAMES: Readonly<Record<number, string>> = {
  0x00: "NUL",
  0x09: "tab",
  0x0a: "line feed (a new line)",
  0x0d: "carriage return",
  0x1b: "escape",
  0x7f: "delete",
  0x00a0: "no-break space",
  0x00ad: "soft hyphen",
  0x200b: "zero width space",
  0x200c: "zero width non-joiner",
  0x200d: "zero width joiner",
  0x200e: "left-to-right mark",
  0x200f: "right-to-left mark",
  0x202a: "left-to-right embedding",
  0x202b: "right-to-left embedding",
  0x202c: "pop directional formatting",
  0x202d: "left-to-right override",
  0x202e: "right-to-left override",
  0x2060: "word joiner",
  0x2066: "left-to-right isolate",
  0x2067: "right-to-left isolate",
  0x2068: "first strong isolate",
  0x2069: "pop directional isolate",
  0x3164: "Hangul filler",
  0xfeff: "zero width no-break space (BOM)",
};

/** `U+202E (right-to-left override)`: the code point, and its name when we know one. */
function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const hex = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
  const name = CHARACTER_NAMES[codePoint];
  return name === undefined ? hex : `${hex} (${name})`;
}

/** Why a label cannot be used, or `undefined` when it can. Never quotes the label (it could be a pasted secret). */
function labelProblem(label: string): string | undefined {
  return labelTextProblem(label) ?? (characterCount(label) > MAX_LABEL_LENGTH ? `must be at most ${MAX_LABEL_LENGTH} characters: shorten it` : undefined);
}

/**
 * The part of `labelProblem` that is certain, not a guess: a blank label, a control or bidi-override character, or
 * only invisible characters. The client checks only this much; the length limit is our guess, and the API is the
 * judge of it there.
 */
export function labelTextProblem(label: string): string | undefined {
  if (label.trim().length === 0) return "must not be empty or only spaces: give the link a name";
  // Code points, not grapheme clusters: a forbidden character hidden inside a cluster must still be found.
  const characters = Array.from(label);
  const forbidden = characters.findIndex((character) => FORBIDDEN_IN_LABEL.test(character));
  if (forbidden >= 0) {
    return (
      `holds ${describeCharacter(characters[forbidden] ?? "")} at character ${forbidden + 1}, which changes how text is shown ` +
      "without being seen: remove it (a label is one line of visible text)"
    );
  }
  if (characters.every(isInvisible)) {
    const kinds = [...new Set(characters.map(describeCharacter))].join(", ");
    return `holds only invisible characters (${kinds}): give the link a name a person can read`;
  }
  return undefined;
}

/** Why a description cannot be used, or `undefined` when it can. */
function descriptionProblem(description: string): string | undefined {
  if (characterCount(description) > MAX_DESCRIPTION_LENGTH) return `must be at most ${MAX_DESCRIPTION_LENGTH} characters: shorten it`;
  return undefined;
}

/** Why an account id cannot be one, or `undefined`. */
export function accountIdProblem(accountId: string): string | undefined {
  if (ACCOUNT_ID_PATTERN.test(accountId)) return undefined;
  return "must be apifansly's account id (letters, digits, _ or -, like fansly_…); the apifansly dashboard lists yours";
}

/** Why a link id cannot be one, or `undefined`. */
export function linkIdProblem(id: string): string | undefined {
  if (LINK_ID_PATTERN.test(id)) return undefined;
  return `must be the id of an existing link, a string of digits such as "${EXAMPLE_LINK_ID}"`;
}

/** How a face words "this is not a string" (a program, a YAML file and a CLI each say it their own way). */
type NotAStringMessage = string | ((issue: { input: unknown }) => string);

/** A zod string checked by `problem`; the reason becomes the issue's message. */
function ruleSchema(typeError: NotAStringMessage, problem: (value: string) => string | undefined): z.ZodType<string> {
  return z.string({ error: typeError }).superRefine((value, context) => {
    const reason = problem(value);
    if (reason !== undefined) context.addIssue({ code: "custom", message: reason });
  });
}

export function labelSchema(typeError: NotAStringMessage): z.ZodType<string> {
  return ruleSchema(typeError, labelProblem);
}

export function descriptionSchema(typeError: NotAStringMessage): z.ZodType<string> {
  return ruleSchema(typeError, descriptionProblem);
}

export function accountIdSchema(typeError: NotAStringMessage): z.ZodType<string> {
  return ruleSchema(typeError, accountIdProblem);
}

export function linkIdSchema(typeError: NotAStringMessage): z.ZodType<string> {
  return ruleSchema(typeError, linkIdProblem);
}

/** The known name a misspelt one most likely meant (2 edits at most, case ignored), for "did you mean …?". */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= MAX_SUGGESTION_EDITS && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}
/** A misspelling is a letter or two off; further than that, a suggestion is more likely wrong than helpful. */
const MAX_SUGGESTION_EDITS = 2;

/** Levenshtein distance (names are a few characters long). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
