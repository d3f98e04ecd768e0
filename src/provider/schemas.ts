/**
 * The TrackingLink resource's inputs, checked with zod before any HTTP call, and its outputs as stored in state.
 * The field rules themselves live in src/fields.ts; the types here are derived from the schemas.
 */
import { z } from "zod";
import { accountIdSchema, descriptionSchema, EXAMPLE_LINK_ID, labelSchema, LINK_PROPERTIES, linkIdSchema } from "../fields";

export { MAX_LABEL_LENGTH, MAX_DESCRIPTION_LENGTH } from "../fields";
/** Pulumi adds this key to every dynamic resource's inputs: the serialized provider. */
export const PROVIDER_KEY = "__provider";
/**
 * The engine's stand-in for a value not known until `up` (an output of a resource not yet created). The dynamic
 * face's `check` receives it as is; the plugin face's wire code (src/plugin/wire.ts) decodes it to this too.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** What a program passes, after Pulumi resolved the Inputs. */
export const TrackingLinkInputsSchema = z.strictObject(
  {
    label: labelSchema("must be a string, the link's name in Fansly, e.g. \"Twitter bio\""),
    description: descriptionSchema("must be a string (or left out)").optional(),
    accountId: accountIdSchema("must be a string such as \"fansly_…\" (apifansly's account id)").optional(),
    trackingLinkId: linkIdSchema(
      `must be a string of digits, the id of an existing link to adopt: quote it ("${EXAMPLE_LINK_ID}"), as a number that long loses digits`,
    ).optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `is not a TrackingLink property (known: ${LINK_PROPERTIES.join(", ")})` : undefined) },
);

/**
 * Inputs after `check`: description and account filled in, so diffs compare like with like. What the provider's
 * methods take (`CheckedInputs`); what a program passes is `TrackingLinkInputsSchema`'s shape, checked by `check`.
 */
export const CheckedInputsSchema = z.object({
  label: z.string(),
  description: z.string(),
  accountId: z.string(),
  trackingLinkId: z.string().optional(),
});
export type CheckedInputs = z.infer<typeof CheckedInputsSchema>;


/**
 * Outputs kept in state. Everything a later call needs is here (the account, for delete); no value is ever
 * `undefined` (the host rejects it), and counters are numbers as the API sent them.
 */
export const TrackingLinkOutputsSchema = z.object({
  trackingLinkId: z.string(),
  accountId: z.string(),
  label: z.string(),
  description: z.string(),
  /** Set when the resource adopted an existing link instead of creating one. */
  adopted: z.boolean(),
  type: z.number().optional(),
  createdAt: z.string().optional(),
  clicks: z.number().optional(),
  claims: z.number().optional(),
  follows: z.number().optional(),
  subscriptions: z.number().optional(),
  totalGross: z.number().optional(),
  totalNet: z.number().optional(),
  /**
   * Random per create/adopt: tells this resource's claim on the link from another resource's claim on the same
   * link in the same run (a renamed key adopts the link, then the old resource is deleted; see `delete`).
   */
  ownerToken: z.string().optional(),
});
export type TrackingLinkOutputs = z.infer<typeof TrackingLinkOutputsSchema>;

/** Outputs as read back from state written by any release: only what every release wrote is required. */
export const StoredOutputsSchema = TrackingLinkOutputsSchema.pick({ trackingLinkId: true, accountId: true, label: true })
  .extend({ description: z.string().optional(), adopted: z.boolean().optional(), ownerToken: z.string().optional() })
  .loose();

/** The arguments of `getTrackingLinkStats`, in the order messages list them. */
export const STATS_ARGUMENTS = ["trackingLinkId", "accountId"] as const;

/** What a program asks `getTrackingLinkStats` for: a link by id, in the provider's default account unless named. */
export const TrackingLinkStatsArgsSchema = z.strictObject(
  {
    trackingLinkId: linkIdSchema(`must be a string of digits, the link's id (e.g. a TrackingLink's trackingLinkId output): quote it ("${EXAMPLE_LINK_ID}")`),
    accountId: accountIdSchema("must be a string such as \"fansly_…\" (apifansly's account id), or left out for the provider's default").optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `is not an argument of getTrackingLinkStats (known: ${STATS_ARGUMENTS.join(", ")})` : undefined) },
);
export type TrackingLinkStatsArgs = z.infer<typeof TrackingLinkStatsArgsSchema>;

/** A link's counters now, with what names it; a counter the API left out is left out. */
export const TrackingLinkStatsSchema = TrackingLinkOutputsSchema.pick({
  trackingLinkId: true,
  accountId: true,
  label: true,
  clicks: true,
  claims: true,
  follows: true,
  subscriptions: true,
  totalGross: true,
  totalNet: true,
});
export type TrackingLinkStats = z.infer<typeof TrackingLinkStatsSchema>;
