/**
 * A TrackingLink as the policy pack sees it, from either face. The engine hands a resource's inputs to the analyzer
 * after the provider's `check` (pkg/resource/deploy/step_generator.go), which fills `accountId` (the default
 * account) and `description` ("" when none) on both faces. The faces differ only in their type token and provider
 * (`pulumi:providers:pulumi-nodejs` for the dynamic face): the dynamic face's `__provider` (the serialized provider)
 * is an internal key the engine leaves out of what it sends an analyzer (analyzer_plugin.go, SkipInternalKeys).
 * Stack policies get the same fields from the preview's outputs. A value not known until `up` (a label built from
 * another resource's output) reads as `undefined`: the rules skip it at preview rather than guess.
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
