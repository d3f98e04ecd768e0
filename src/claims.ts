/**
 * One link, one owner: the rule, in one place. A link id is declared by at most one resource of a stack, whatever
 * the face (the dynamic `TrackingLink`, the plugin's, a `TrackingLinkSet` entry) or the way (created, adopted by
 * `trackingLinkId`, `pulumi import`). Two holders of one link is how a link got lost: both write its label, and
 * removing either deleted the link the other still names.
 *
 * Each place that sees several resources keeps a `LinkClaims` and asks it, naming holders in its own terms: the
 * link-set file by key, the program by resource name, the plugin provider by URN, the dynamic provider (which is
 * told no URN) by the owner token stored with each link. A second holder is refused with `secondClaimantMessage`;
 * a delete is skipped while `heldByAnother` says another resource of the run still holds the link.
 */

/**
 * The claims of the other processes of the same run (the other face's provider: src/provider/runClaims.ts), for
 * deletes: by the time the engine deletes, every resource of the run has been checked and diffed.
 */
export interface SharedClaims {
  record(linkId: string, holder: string): void;
  release(linkId: string, holder: string): void;
  othersHold(linkId: string, holder: string): boolean;
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
   * Records that `holder` declares `linkId`; `name` is how messages call it (default: the holder itself, when that
   * is already a unique name such as a URN). Returns the name of the first other holder when there is one (the
   * caller refuses the second claimant with `secondClaimantMessage`), undefined when `holder` is alone. The same
   * holder claiming again is no conflict.
   */
  claim(linkId: string, holder: string, name: string = holder): string | undefined {
    const holders = this.#holders.get(linkId) ?? new Map<string, string>();
    this.#holders.set(linkId, holders);
    if (!holders.has(holder)) {
      holders.set(holder, name);
      this.#shared?.record(linkId, holder);
    }
    return [...holders].find(([other]) => other !== holder)?.[1];
  }

  /** Whether a resource other than `holder` holds `linkId` in this run: then deleting it would take another's link. */
  heldByAnother(linkId: string, holder: string): boolean {
    const here = [...(this.#holders.get(linkId)?.keys() ?? [])].some((other) => other !== holder);
    return here || this.#shared?.othersHold(linkId, holder) === true;
  }

  /** `holder` left the stack (its delete ran or was skipped): it no longer keeps anyone else from deleting the link. */
  release(linkId: string, holder: string): void {
    const holders = this.#holders.get(linkId);
    holders?.delete(holder);
    if (holders?.size === 0) this.#holders.delete(linkId);
    this.#shared?.release(linkId, holder);
  }

  /** Every link id claimed in this run (links a create must never take for the one it just made). */
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
