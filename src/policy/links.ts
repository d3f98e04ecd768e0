/**
 * A TrackingLink as the policy pack sees it, from either face. The analyzer gets a resource's inputs after the
 * provider's `check`, which fills `accountId` (the default account) and `description` ("" when none) on both faces;
 * the dynamic face's inputs also carry `__provider`, the serialized provider source, which no rule reads. A value
 * not known until `up` (a label built from another resource's output) reads as `undefined`: the rules skip it at
 * preview rather than guess.
 */
import { isTrackingLinkType } from "../plugin/tokens";

/** What every rule reads of one link. */
export interface PolicyLink {
  /** The resource's name in the program (`new TrackingLink("<name>", …)`), as violations name it. */
  name: string;
  urn: string;
  /** The account the link is in; `undefined` when not known at preview. */
  accountId: string | undefined;
  /** `undefined` when not known at preview. */
  label: string | undefined;
  /** "" when the program sets none (as the provider stores it); `undefined` when not known at preview. */
  description: string | undefined;
}

/** A resource as @pulumi/policy hands it over: its type, name, URN and inputs (or outputs, for stack policies). */
export interface PolicyResourceLike {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
}

/** The link this resource manages, or `undefined` when the resource is not a TrackingLink of either face. */
export function linkFromResource(resource: PolicyResourceLike): PolicyLink | undefined {
  if (!isTrackingLinkType(resource.type)) return undefined;
  return {
    name: resource.name,
    urn: resource.urn,
    accountId: knownString(resource.props, "accountId"),
    label: knownString(resource.props, "label"),
    description: knownString(resource.props, "description", ""),
  };
}

/**
 * A string property; `whenAbsent` when the program left it out; `undefined` when unknown. @pulumi/policy hands unknowns over behind a proxy that
 * throws `UnknownValueError` when read; that is the only throw a property read can make, so any throw means
 * "unknown at preview".
 */
function knownString(props: Record<string, unknown>, key: string, whenAbsent?: string): string | undefined {
  try {
    const value = props[key];
    if (value === undefined || value === null) return whenAbsent;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
