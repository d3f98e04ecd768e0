/** `TrackingLinkSet`: a component with one `TrackingLink` child per key of a data file (file.ts) or an object. */
import * as pulumi from "@pulumi/pulumi";
import { checkLinks, LinkSetFileError, readLinkSetFile, type LinkSetData, type LinkSpec } from "./file";
import { TrackingLink } from "../resource";
import { asRunError } from "../registration";

/** The type token of the component, in the manner of pulumi-awsx. */
const TRACKING_LINK_SET_TYPE = "fansly:index:TrackingLinkSet";

/** The arguments of a `TrackingLinkSet`: exactly one of `file` and `links`. */
export interface TrackingLinkSetArgs {
  /**
   * A YAML or JSON data file (`.json` is read as JSON) mapping stable keys to links under `links:`, with an optional
   * top-level `accountId:`. A relative path is resolved from the working directory, which is the Pulumi project
   * folder when Pulumi runs the program. `npx pulumi-fansly import` writes one from an existing account.
   */
  file?: string;
  /** The links by stable key, when they live in code rather than in a file. */
  links?: Record<string, LinkSpec>;
  /**
   * The account of every link that names none (and, for a file, when the file has no top-level `accountId`).
   * Default: `fansly:accountId`.
   */
  accountId?: pulumi.Input<string>;
}

/**
 * A set of Fansly tracking links declared by key, from a data file or an object: one `TrackingLink` child per key.
 *
 * Each child is named `<set name>-<key>` and parented to the set, so its URN depends only on the set's name and the
 * key: reordering entries changes nothing, editing a label or description updates that link in place, adding an
 * entry creates one link and removing one deletes it. Two sets in one stack need different names (the set's name
 * is in every child's name because a URN holds the parent's type, not its name). Keys are identities: renaming a
 * key is a new resource (adopt-then-delete of the same link for an adopted one), so rename the label instead.
 *
 * A bad file fails the program before any API call, naming the file, the line, the key and the field.
 *
 * ## Example
 *
 * ```ts
 * import { TrackingLinkSet } from "pulumi-fansly";
 *
 * // links.yaml:
 * //   links:
 * //     twitter-bio: { label: Twitter bio, description: pinned profile link }
 * //     reddit:      { label: "Reddit post #3" }   # quote text with " #": YAML reads the rest as a comment
 * const set = new TrackingLinkSet("creator", { file: "links.yaml" });
 * export const ids = set.trackingLinkIds;   // { "twitter-bio": "845…", reddit: "845…" }
 *
 * // Or in code, in another account:
 * new TrackingLinkSet("second-account", {
 *   accountId: "fansly_second",
 *   links: { "twitter-bio": { label: "Twitter bio" } },
 * });
 * ```
 *
 * ## Adopting an account's existing links
 *
 * `npx pulumi-fansly import --account <id> --out links.yaml` writes every custom link of the account with its
 * `trackingLinkId`; the next `pulumi up` over `new TrackingLinkSet("…", { file: "links.yaml" })` adopts them all
 * without a create, update or delete.
 */
export class TrackingLinkSet extends pulumi.ComponentResource {
  /** The child resources, by key. */
  readonly links: Readonly<Record<string, TrackingLink>>;
  /** Each link's id in Fansly, by key. */
  readonly trackingLinkIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: TrackingLinkSetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before registering anything: a bad file must not leave a half-registered component behind. Pulumi
    // prints the refusal as one line naming the file, the line and the fix (asRunError).
    let data: LinkSetData;
    try {
      data = loadLinkSetData(name, args);
    } catch (error) {
      throw error instanceof LinkSetFileError ? asRunError(error) : error;
    }
    super(TRACKING_LINK_SET_TYPE, name, {}, opts);

    const links: Record<string, TrackingLink> = {};
    const trackingLinkIds: Record<string, pulumi.Output<string>> = {};
    for (const [key, spec] of Object.entries(data.links)) {
      const link = new TrackingLink(
        childName(name, key),
        {
          label: spec.label,
          description: spec.description,
          accountId: spec.accountId ?? data.accountId ?? args.accountId,
          trackingLinkId: spec.trackingLinkId,
        },
        { parent: this },
      );
      links[key] = link;
      trackingLinkIds[key] = link.trackingLinkId;
    }
    this.links = links;
    this.trackingLinkIds = trackingLinkIds;
    this.registerOutputs({ trackingLinkIds });
  }
}

/** The name of a set's child: the set's name and the key, so two sets in one stack never share a URN. */
function childName(setName: string, key: string): string {
  return `${setName}-${key}`;
}

/** Reads `args.file` or checks `args.links`; throws `LinkSetFileError` (the wrong argument mix included). */
function loadLinkSetData(name: string, args: TrackingLinkSetArgs): LinkSetData {
  const hasFile = args.file !== undefined;
  const hasLinks = args.links !== undefined;
  if (hasFile === hasLinks) {
    throw new LinkSetFileError(`TrackingLinkSet "${name}"`, [
      { message: `pass exactly one of file (a YAML or JSON data file) and links (an object of key → { label, … }), not ${hasFile ? "both" : "neither"}` },
    ]);
  }
  if (args.file !== undefined) {
    if (typeof args.file !== "string" || args.file.trim() === "") {
      throw new LinkSetFileError(`TrackingLinkSet "${name}"`, [{ field: "file", message: "must be the path of a YAML or JSON file, e.g. links.yaml" }]);
    }
    return readLinkSetFile(args.file).data;
  }
  return { links: checkLinks(args.links, `TrackingLinkSet "${name}" links`) };
}
