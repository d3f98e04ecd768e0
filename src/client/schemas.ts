/**
 * Every shape we read from apifansly, in one module, so that a correction to the contract
 * (`shared/api/apifansly-tracking-links.md`) is a one-place change. Types are derived from the schemas.
 *
 * Where the contract says "inferred", the schemas accept each documented alternative and keep unknown fields.
 */
import { z } from "zod";
import { BUILT_IN_LINK_TYPE, LINK_ID_PATTERN } from "../fields";

export { ACCOUNT_ID_PATTERN, BUILT_IN_LINK_TYPE, CUSTOM_LINK_TYPE, LINK_ID_PATTERN } from "../fields";

/**
 * A link id as the API sends it: an 18-digit snowflake. Unlike an id a person writes (src/fields.ts, strings
 * only), a number is accepted here (json.ts keeps big ones exact) and always becomes a string.
 */
export const TrackingLinkIdSchema = z
  .union([z.string().regex(LINK_ID_PATTERN, "must be a string of digits"), z.number().int().nonnegative()])
  .transform((id) => String(id));

/**
 * The largest counter we take from the API: a server's signed 64-bit integer. Anything larger (a 400-digit number)
 * is not a count of anything, and would print as a 400-column row.
 */
const MAX_COUNTER = 2n ** 63n - 1n;
const COUNTER_RULE = `a whole number from 0 to ${MAX_COUNTER}`;

/**
 * A counter (clicks, …, money in Fansly's raw integers): a whole number of 0 or more, kept exact. Up to
 * Number.MAX_SAFE_INTEGER it is a number; beyond, a bigint (json.ts hands such an integer over as its digits). A
 * negative, a fraction, 1e300 or text is not a counter: the reply fails as a protocol error naming the link and field.
 */
const CounterSchema = z.union([z.number(), z.string()], { error: `must be ${COUNTER_RULE}` }).transform((value, context): number | bigint => {
  const exact = typeof value === "number" ? (Number.isSafeInteger(value) ? BigInt(value) : undefined) : /^\d+$/.test(value) ? BigInt(value) : undefined;
  if (exact === undefined || exact < 0n || exact > MAX_COUNTER) {
    const shown = typeof value === "number" ? String(value) : JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value);
    context.addIssue({ code: "custom", message: `must be ${COUNTER_RULE}, got ${shown}` });
    return z.NEVER;
  }
  return exact <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : exact;
});

/** Below this an epoch timestamp is taken as seconds, not milliseconds (a guess: Fansly itself sends ms). */
const EPOCH_SECONDS_LIMIT = 100_000_000_000;

/** `createdAt` as epoch ms, epoch seconds or ISO text; normalised to ISO-8601. */
const TimestampSchema = z.union([
  z
    .number()
    .nonnegative()
    .transform((n) => new Date(n < EPOCH_SECONDS_LIMIT ? n * 1000 : n).toISOString()),
  z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be a date").transform((s) => new Date(s).toISOString()),
]);


/** A tracking link as the API returns it. Unknown extra fields are kept, never an error. */
export const TrackingLinkSchema = z.looseObject({
  id: TrackingLinkIdSchema,
  label: z.string(),
  description: z
    .string()
    .nullish()
    .transform((d) => d ?? ""),
  type: z.number().int().optional(),
  internalId: z.union([z.string(), z.number()]).transform(String).optional(),
  status: z.number().int().optional(),
  createdAt: TimestampSchema.optional(),
  clicks: CounterSchema.optional(),
  claims: CounterSchema.optional(),
  follows: CounterSchema.optional(),
  subscriptions: CounterSchema.optional(),
  totalGross: CounterSchema.optional(),
  totalNet: CounterSchema.optional(),
});
export type TrackingLink = z.infer<typeof TrackingLinkSchema>;

/** True for Fansly's built-in links, which cannot be edited or deleted. */
export function isBuiltInLink(link: Pick<TrackingLink, "type">): boolean {
  return link.type === BUILT_IN_LINK_TYPE;
}

/** The envelope every reply has, success or error (documented). */
export const EnvelopeSchema = z.looseObject({
  statusCode: z.number().int(),
  message: z.string(),
  data: z.unknown(),
  timestamp: z.string().optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** Account-scoped routes wrap Fansly's own answer one level deeper (documented for DELETE). */
export const AccountScopedDataSchema = z.looseObject({
  status_code: z.number().int().optional(),
  data: z.unknown(),
});

/** Fansly's own answer: `{ success, response }`; `error` is our guess at where an inner failure says why. */
export const FanslyAnswerSchema = z.looseObject({
  success: z.boolean().optional(),
  response: z.unknown().optional(),
  error: z.unknown().optional(),
  message: z.string().optional(),
});

/** Names a wrapping object may give the list (inferred). */
const LIST_KEYS = ["trackingLinks", "list", "items"] as const;

/** Paging hints a list reply may carry (inferred: Fansly's list is unpaginated today). */
const PagingSchema = z.looseObject({
  hasMore: z.boolean().optional(),
  has_more: z.boolean().optional(),
  offset: z.number().int().nonnegative().optional(),
  limit: z.number().int().positive().optional(),
  nextCursor: z.string().min(1).nullish(),
  next_cursor: z.string().min(1).nullish(),
});

/** Where the next page starts, when a reply says there is one. */
export type NextPage = { cursor: string } | { offset: number; limit: number | undefined };

/** One page of a list reply. */
export interface LinkPage {
  links: TrackingLink[];
  next: NextPage | undefined;
}

/** Accounts connected to a key (`GET /api/fansly/accounts`, seen in use). */
const AccountSchema = z.looseObject({
  accountId: z.string(),
  email: z.string().nullish(),
  name: z.string().nullish(),
  country: z.string().nullish(),
  createdAt: z.unknown().optional(),
});
export type Account = z.infer<typeof AccountSchema>;
const AccountsDataSchema = z.looseObject({
  success: z.boolean().optional(),
  count: z.number().int().optional(),
  accounts: z.array(AccountSchema),
});

/** A thing to extract, with the words used in a protocol error when it is not there. */
export interface Extraction<T> {
  expected: string;
  /** Returns the value, or a short reason it is not there. */
  extract(data: unknown): { ok: true; value: T } | { ok: false; reason: string };
}

/**
 * Candidate places a payload may sit in, deepest first: Fansly's `data.data.response`, `data.data`, then the same one
 * level up, `data.response` and `data` itself. The contract documents the two-layer nesting only for DELETE and
 * infers the rest (the accounts route is seen with one layer), so every reader looks at both levels.
 */
function payloadCandidates(data: unknown): unknown[] {
  const candidates: unknown[] = [];
  const addLevel = (level: unknown): void => {
    const answer = FanslyAnswerSchema.safeParse(level);
    if (answer.success && answer.data.response !== undefined) candidates.push(answer.data.response);
    candidates.push(level);
  };
  const scoped = AccountScopedDataSchema.safeParse(data);
  if (scoped.success && scoped.data.data !== undefined && scoped.data.data !== null) addLevel(scoped.data.data);
  addLevel(data);
  return candidates;
}

function firstIssue(error: z.ZodError, list?: readonly unknown[]): string {
  const issue = error.issues[0];
  if (issue === undefined) return "does not match";
  const [index, ...field] = issue.path;
  // In a list, the link is named by its id (the position alone finds nothing in a dashboard).
  const id = typeof index === "number" ? linkIdIn(list?.[index]) : undefined;
  if (id !== undefined && field.length > 0) return `link ${id}: ${field.map(String).join(".")} ${issue.message}`;
  const at = issue.path.length > 0 ? `at ${issue.path.map(String).join(".")}: ` : "";
  return `${at}${issue.message}`;
}

function linkIdIn(item: unknown): string | undefined {
  const id = typeof item === "object" && item !== null ? (item as Record<string, unknown>).id : undefined;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

/** The new or updated link, at `data.data.response` or `data.data`. */
export const LinkExtraction: Extraction<TrackingLink> = {
  expected: "a tracking link ({ id, label, … }) at data.data.response, data.data, data.response or data",
  extract(data) {
    let reason: string | undefined;
    for (const candidate of payloadCandidates(data)) {
      const parsed = TrackingLinkSchema.safeParse(candidate);
      if (parsed.success) return { ok: true, value: parsed.data };
      // The deepest place's reason: where the contract says the link is.
      reason ??= firstIssue(parsed.error);
    }
    return { ok: false, reason: reason ?? "no link found" };
  },
};

/** A list page: an array at data.data.response or data.data, bare or inside `trackingLinks` / `list` / `items`. */
export const LinkPageExtraction: Extraction<LinkPage> = {
  expected: "a list of tracking links at data.data.response, data.data, data.response or data",
  extract(data) {
    const scoped = AccountScopedDataSchema.safeParse(data);
    const outer = scoped.success ? scoped.data.data : undefined;
    let reason = "no list found";
    for (const candidate of payloadCandidates(data)) {
      const holder = listHolder(candidate);
      if (holder === undefined) continue;
      const parsed = z.array(TrackingLinkSchema).safeParse(holder.list);
      if (!parsed.success) {
        reason = firstIssue(parsed.error, holder.list);
        continue;
      }
      return { ok: true, value: { links: parsed.data, next: nextPageOf(holder.pagingSource, outer, parsed.data.length) } };
    }
    return { ok: false, reason };
  },
};

function listHolder(candidate: unknown): { list: unknown[]; pagingSource: unknown } | undefined {
  if (Array.isArray(candidate)) return { list: candidate, pagingSource: undefined };
  if (typeof candidate !== "object" || candidate === null) return undefined;
  for (const key of LIST_KEYS) {
    const list: unknown = (candidate as Record<string, unknown>)[key];
    if (Array.isArray(list)) return { list, pagingSource: candidate };
  }
  return undefined;
}

function nextPageOf(pagingSource: unknown, outer: unknown, count: number): NextPage | undefined {
  for (const source of [pagingSource, outer]) {
    const paging = PagingSchema.safeParse(source);
    if (!paging.success) continue;
    const p = paging.data;
    const cursor = p.nextCursor ?? p.next_cursor;
    if (cursor) return { cursor };
    if ((p.hasMore ?? p.has_more) === true && count > 0) {
      return { offset: (p.offset ?? 0) + count, limit: p.limit };
    }
  }
  return undefined;
}

/**
 * The accounts list: `data.accounts` as seen in use, or one level deeper like the account-scoped routes
 * (`data.data.accounts`, `data.data.response.accounts`); `accounts` may also be the payload itself (a bare list).
 */
export const AccountsExtraction: Extraction<Account[]> = {
  expected: "a list of { accountId, … } at data.accounts or data.data.accounts (or .response.accounts)",
  extract(data) {
    let reason: string | undefined;
    for (const candidate of payloadCandidates(data)) {
      const parsed = Array.isArray(candidate) ? z.array(AccountSchema).safeParse(candidate) : AccountsDataSchema.safeParse(candidate);
      if (parsed.success) return { ok: true, value: Array.isArray(parsed.data) ? parsed.data : parsed.data.accounts };
      // An `accounts` list that holds something else is that problem; a level without one is just not the place.
      const hasList = Array.isArray(candidate) || (typeof candidate === "object" && candidate !== null && "accounts" in candidate);
      if (hasList) return { ok: false, reason: firstIssue(parsed.error) };
      reason ??= firstIssue(parsed.error);
    }
    return { ok: false, reason: reason ?? "no accounts list found" };
  },
};

/** A reply with no payload we need (DELETE, or an update that answers only `success: true`). */
export const NothingExtraction: Extraction<undefined> = {
  expected: "any payload",
  extract() {
    return { ok: true, value: undefined };
  },
};
