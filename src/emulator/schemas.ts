import { z } from "zod";
import { characterCount, LINK_ID_PATTERN, MAX_DESCRIPTION_LENGTH, MAX_LABEL_LENGTH } from "../fields";
import { invalidParameters } from "./errors";

// Fansly publishes no limits for a link's label or description: the emulator enforces our guess (src/fields.ts),
// counted the same way, so the client and provider meet the same limit in tests. It words its refusals as the API
// would (a 400 naming the field), and accepts what the API is not known to refuse (control characters, say).
export { MAX_DESCRIPTION_LENGTH, MAX_LABEL_LENGTH } from "../fields";

/** What a request's body turned out to be, before any schema looks at it. */
export type RequestBody =
  | { kind: "empty" }
  | { kind: "json"; value: unknown }
  | { kind: "not-json"; text: string }
  | { kind: "not-json-content-type"; text: string };

function requiredString(): z.ZodString {
  return z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });
}

const label = requiredString()
  .refine((text) => text.trim().length > 0, { error: "must not be empty or only whitespace" })
  .refine((text) => characterCount(text) <= MAX_LABEL_LENGTH, {
    error: `must be at most ${MAX_LABEL_LENGTH} characters`,
  });

const description = requiredString().refine((text) => characterCount(text) <= MAX_DESCRIPTION_LENGTH, {
  error: `must be at most ${MAX_DESCRIPTION_LENGTH} characters`,
});

// Link ids are 18-digit snowflakes sent as strings (documented for trackingLinkId); a JSON number would lose
// precision, so it is refused rather than guessed at.
const linkId = requiredString().regex(LINK_ID_PATTERN, { error: "must be a string of digits" });

const OBJECT_ERROR = { error: "must be a JSON object" };

export const CreateLinkBodySchema = z.object({ label, description: description.optional() }, OBJECT_ERROR);
// Whether the real API clears an omitted description is unknown, so the emulator insists on both fields: a client
// that forgets one fails here instead of silently depending on a guess.
export const UpdateLinkBodySchema = z.object({ id: linkId, label, description }, OBJECT_ERROR);
export const DeleteLinkBodySchema = z.object({ trackingLinkId: linkId }, OBJECT_ERROR);

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? "body" : issue.path.map(String).join(".");
  return `${field} ${issue.message}`;
}

/** Validates a request body; every problem is named by field in the documented 400 message. */
export function parseBody<T>(schema: z.ZodType<T>, body: RequestBody): T {
  if (body.kind === "not-json") throw invalidParameters("body is not valid JSON");
  if (body.kind === "not-json-content-type") {
    throw invalidParameters("body must be sent with Content-Type: application/json");
  }
  const parsed = schema.safeParse(body.kind === "json" ? body.value : undefined);
  if (!parsed.success) throw invalidParameters(parsed.error.issues.map(describeIssue).join("; "));
  return parsed.data;
}

/** Reads one non-negative integer from the query string, or the fallback when it is absent. */
export function queryInteger(query: URLSearchParams, name: string, fallback: number, minimum: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < minimum || !Number.isSafeInteger(Number(raw))) {
    throw invalidParameters(`${name} must be an integer of at least ${minimum}`);
  }
  return Number(raw);
}
