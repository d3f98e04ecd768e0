/**
 * One link, one owner (src/claims.ts), where a TypeScript program declares its links: both faces' `TrackingLink`
 * constructors (and so every `TrackingLinkSet` entry) claim the `trackingLinkId` they adopt before registering, so
 * a second resource declaring the same link fails the program before the engine sees it, naming both resources and
 * the id — before any request, at `preview` as at `up`. An id given as an Output is checked when it resolves (an id
 * unknown at preview is checked at `up`, still before that resource is registered).
 *
 * This sees declarations only; a link a resource holds in state (created, or `pulumi import`ed) is the providers'
 * to protect (their `diff` and `delete`, src/provider/implementation.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { LinkClaims, secondClaimantMessage } from "./claims";
import { FanslyValidationError } from "./client/errors";
import { asRunError } from "./registration";

/** The claims of each program run, on `globalThis` so two copies of this package (or of Pulumi's SDK) share them. */
const CLAIMS_BY_RUN = Symbol.for("pulumi-fansly.declaredLinks.v1");

/** What one resource is, for a claim: its identity (unique in the stack, as its URN is) and its name in messages. */
export interface Declarer {
  /** The type token the resource registers with. */
  type: string;
  name: string;
  /** How messages call the resource's class: `TrackingLink`, or `TrackingLink (pulumi-fansly/plugin)`. */
  label: string;
  parent: pulumi.Resource | undefined;
}

/**
 * Claims `trackingLinkId` for `declarer` in this program run. A plain id is checked now (throws
 * `FanslyValidationError` naming both resources and the id); an Output or a Promise is returned wrapped, checked
 * when it resolves (the registration then fails with that error). Undefined (a new link) claims nothing.
 */
export function declareLink(trackingLinkId: pulumi.Input<string> | undefined, declarer: Declarer): pulumi.Input<string> | undefined {
  if (trackingLinkId === undefined) return undefined;
  const claims = claimsOfThisRun();
  const claim = (id: string): string => {
    const first = claims.claim(id, identityOf(declarer), nameOf(declarer));
    // One line from Pulumi, naming both resources (asRunError).
    if (first !== undefined) throw asRunError(new FanslyValidationError("FANSLY_VALIDATION", secondClaimantMessage(id, first, nameOf(declarer))));
    return id;
  };
  if (typeof trackingLinkId === "string") return claim(trackingLinkId);
  return pulumi.output(trackingLinkId).apply(claim);
}

/** The link id of a plugin-face `import` option (`<linkId>` or `<accountId>/<linkId>`), which adopts it too. */
export function importedLinkId(importId: pulumi.Input<string> | undefined): pulumi.Input<string> | undefined {
  if (typeof importId !== "string") return importId === undefined ? undefined : pulumi.output(importId).apply(linkIdOfImport);
  return linkIdOfImport(importId);
}

function linkIdOfImport(importId: string): string {
  return importId.slice(importId.lastIndexOf("/") + 1);
}

/**
 * The claims of the current run. Pulumi's SDK keeps each run's state in a store: per run in an AsyncLocalStorage
 * for an Automation API inline program (several runs, even of several stacks, in one process), else one global
 * store. Claims are kept per store, so one run's declarations never meet another's.
 */
function claimsOfThisRun(): LinkClaims {
  const holder = globalThis as unknown as Record<symbol, WeakMap<object, LinkClaims> | undefined>;
  const byRun = (holder[CLAIMS_BY_RUN] ??= new WeakMap<object, LinkClaims>());
  const run = runStore();
  let claims = byRun.get(run);
  if (claims === undefined) {
    claims = new LinkClaims();
    byRun.set(run, claims);
  }
  return claims;
}

/** Used only when no copy of Pulumi's SDK has made its run store yet (none registers a resource without one). */
const NO_RUN_STORE = {};

/** The SDK's store of the running program (internal to the SDK, kept on `globalThis` for every copy of it to share). */
function runStore(): object {
  const sdk = globalThis as unknown as { asyncLocalStorage?: { getStore(): unknown }; globalStore?: unknown };
  const local = sdk.asyncLocalStorage?.getStore();
  if (typeof local === "object" && local !== null) return local;
  return typeof sdk.globalStore === "object" && sdk.globalStore !== null ? sdk.globalStore : NO_RUN_STORE;
}

/** The resource's type and name, with its ancestors': unique in a stack, as a URN is (it holds both). */
function identityOf({ type, name, parent }: Declarer): string {
  const path = [`${type}::${name}`];
  for (let ancestor: unknown = parent; ancestor !== undefined && ancestor !== null; ancestor = Reflect.get(ancestor, "__parentResource")) {
    path.unshift(`${String(Reflect.get(ancestor, "__pulumiType"))}::${String(Reflect.get(ancestor, "__name"))}`);
  }
  return path.join("/");
}

/** `TrackingLink "bio"`, with its parent when it has one: `TrackingLink "web-bio" (in TrackingLinkSet "web")`. */
function nameOf({ name, label, parent }: Declarer): string {
  const own = `${label} "${name}"`;
  if (parent === undefined) return own;
  const parentType = String(Reflect.get(parent, "__pulumiType"));
  return `${own} (in ${parentType.split(":").at(-1) ?? parentType} "${String(Reflect.get(parent, "__name"))}")`;
}
