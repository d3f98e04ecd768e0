/**
 * The TrackingLink resource's inputs, checked with zod before any HTTP call, and its outputs as stored in state.
 */
import { z } from "zod";
import { ACCOUNT_ID_PATTERN, LINK_ID_PATTERN } from "../client";

/** Fansly's UI caps a link's name; apifansly documents no limit, so this is our guess (the emulator agrees). */
export const MAX_LABEL_LENGTH = 100;
/** Our guess at the description limit, as above. */
export const MAX_DESCRIPTION_LENGTH = 500;
/** Pulumi adds this key to every dynamic resource's inputs: the serialized provider. */
export const PROVIDER_KEY = "__provider";

const AccountIdSchema = z
  .string({ error: "must be a string such as \"fansly_…\" (apifansly's account id)" })
  .regex(ACCOUNT_ID_PATTERN, {
    message: "must be apifansly's account id (letters, digits, _ or -, like fansly_…); the apifansly dashboard lists yours",
  });

/** What a program passes, after Pulumi resolved the Inputs. */
export const TrackingLinkInputsSchema = z.strictObject(
  {
    label: z
      .string({ error: "must be a string, the link's name in Fansly, e.g. \"Twitter bio\"" })
      .refine((label) => label.trim().length > 0, { message: "must not be empty or only spaces: give the link a name", abort: true })
      .refine((label) => label.length <= MAX_LABEL_LENGTH, { message: `must be at most ${MAX_LABEL_LENGTH} characters: shorten it` }),
    description: z
      .string({ error: "must be a string (or left out)" })
      .max(MAX_DESCRIPTION_LENGTH, { message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters: shorten it` })
      .optional(),
    accountId: AccountIdSchema.optional(),
    trackingLinkId: z
      .string({ error: 'must be a string of digits, the id of an existing link to adopt: quote it ("845759434926862336"), as a number that long loses digits' })
      .regex(LINK_ID_PATTERN, { message: "must be the id of an existing link, a string of digits such as \"845759434926862336\"" })
      .optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `is not a TrackingLink property (known: label, description, accountId, trackingLinkId)` : undefined) },
);

/** Inputs after `check`: description and account filled in, so diffs compare like with like. */
export interface TrackingLinkInputs {
  label: string;
  description: string;
  accountId: string;
  trackingLinkId?: string;
}

/**
 * Outputs kept in state. Everything a later call needs is here (the account, for delete); no value is ever
 * `undefined` (the host rejects it), and counters are numbers as the API sent them.
 */
export interface TrackingLinkOutputs {
  trackingLinkId: string;
  accountId: string;
  label: string;
  description: string;
  /** Set when the resource adopted an existing link instead of creating one. */
  adopted: boolean;
  type?: number;
  createdAt?: string;
  clicks?: number;
  claims?: number;
  follows?: number;
  subscriptions?: number;
  totalGross?: number;
  totalNet?: number;
  /**
   * Random per create/adopt: tells this resource's claim on the link from another resource's claim on the same
   * link in the same run (a renamed key adopts the link, then the old resource is deleted; see `delete`).
   */
  ownerToken?: string;
}

/** Outputs as read back from state written by any release: only what every release wrote is required. */
export const StoredOutputsSchema = z.looseObject({
  trackingLinkId: z.string(),
  accountId: z.string(),
  label: z.string(),
  description: z.string().optional(),
  adopted: z.boolean().optional(),
  ownerToken: z.string().optional(),
});
