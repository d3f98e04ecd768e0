import { FanslyError, type FanslyErrorCode } from "../client";

/**
 * A report cannot be made from what it was given (an account the key does not have, a snapshot folder holding a
 * file we did not write, …). The message is one line that names the fix; nothing has been written.
 */
export class ReportError extends FanslyError {
  /** `code`: what kind of trouble, as for the client's errors (a key that may not list an account is FANSLY_AUTH). */
  constructor(message: string, code: FanslyErrorCode = "FANSLY_VALIDATION") {
    super(code, message);
  }
}
