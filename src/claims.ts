/**
 * One link, one owner: the rule, in one place. A link id is declared by at most one resource of a stack, whatever
 * the face (the dynamic `TrackingLink`, the plugin's, a `TrackingLinkSet` entry) or the way (created, adopted by
 * `trackingLinkId`, `pulumi import`). Two holders of one link is how a link got lost: both write its label, and
 * removing either deleted the link the other still names.
 *
 * Each place that sees several resources keeps a `LinkClaims` and asks it. A claim has a holder and a name:
 * - the holder is the instance that holds the link, for deletes: the new resource replacing an old one under the same
 *   URN is another holder than the old (its delete must leave a link the new one adopted);
 * - the name is the resource as people know it, for refusals: the link-set file's key, the program's resource, the
 *   plugin's URN. Claims under one name are one resource. The dynamic provider is told no URN: its holders are the
 *   owner tokens stored with each link, all under one name, so it refuses only a holder of the other face.
 * A second name is refused with `secondClaimantMessage`; a delete is skipped while `heldByAnother` says another
 * holder of the run has the link.
 */

/**
 * The claims of the run's other provider processes (the other face's; an explicit provider of the plugin face may be
 * a process of its own), src/provider/runClaims.ts. Every claim is recorded there before the others are read, so of two
 * processes claiming one link at once, at least the second sees the first.
 */
export interface SharedClaims {
  record(linkId: string, holder: string, name: string): void;
  release(linkId: string, holder: string): void;
  /** The names of the holders of `linkId` other than `holder`, this process's own included. */
  otherNames(linkId: string, holder: string): string[];
}

/** Who claimed which link in one run (one program run, one file, one provider process). */
export class LinkClaims {
  /** Holders (and their names) by link id, in the order they claimed it. Lives one run, never across runs. */
  readonly #holders = new Map<string, Map<string, string>>();

  readonly #shared: SharedClaims | undefined;

  /** `shared`: the claims of the run's other processes, when they can be reached (else this process's alone). */
  constructor(shared?: SharedClaims) {
    this.#shared = shared;
  }

  /**
   * Records that `holder` declares `linkId` as `name` (default: the holder is its own name). Returns the first other
   * name holding the link when there is one (the caller refuses with `secondClaimantMessage`), else undefined.
   */
  claim(linkId: string, holder: string, name: string = holder): string | undefined {
    const holders = this.#holders.get(linkId) ?? new Map<string, string>();
    this.#holders.set(linkId, holders);
    if (!holders.has(holder)) {
      holders.set(holder, name);
      this.#shared?.record(linkId, holder, name);
    }
    const here = [...holders.values()].find((other) => other !== name);
    // An empty name is a claim being written this instant: its writer reads this one after, and refuses.
    return here ?? this.#shared?.otherNames(linkId, holder).find((other) => other !== name && other !== "");
  }

  /** Whether a holder other than `holder` has `linkId` in this run: then deleting it would take another's link. */
  heldByAnother(linkId: string, holder: string): boolean {
    const here = [...(this.#holders.get(linkId)?.keys() ?? [])].some((other) => other !== holder);
    return here || (this.#shared?.otherNames(linkId, holder).length ?? 0) > 0;
  }

  /** `holder` left the stack (its delete ran or was skipped): it no longer keeps anyone else from deleting the link. */
  release(linkId: string, holder: string): void {
    const holders = this.#holders.get(linkId);
    holders?.delete(holder);
    if (holders?.size === 0) this.#holders.delete(linkId);
    this.#shared?.release(linkId, holder);
  }

  /** Every link id claimed in this process's run (links a create must never take for the one it just made). */
  linkIds(): ReadonlySet<string> {
    return new Set(this.#holders.keys());
  }
}

/** The refusal of a second claimant, the same from every place: the id, both holders, and the fix. */
export function secondClaimantMessage(linkId: string, first: string, second: string): string {
  return (
    `trackingLinkId ${linkId} is declared by both ${first} and ${second}: a link has one owner in a stack. ` +
    "Keep one of them (removing the other deletes nothing while the kept one holds the link), or give the other its own link"
  );
}
