/** What every check of a link-set file reports (the parser, its comment check): its own module, so both import it. */

/** One thing wrong with a file or a `links` object: where, and what to do. */
export interface LinkSetProblem {
  /** 1-based line in the file, when the problem is in a file and its line could be found. */
  line?: number;
  /** The link's key, when the problem is in one entry. */
  key?: string;
  /** The field, when the problem is in one field. */
  field?: string;
  /** What is wrong and how to fix it. */
  message: string;
}
