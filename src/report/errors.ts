/**
 * A report cannot be made from what it was given (an account the key does not have, a snapshot folder holding a
 * file we did not write, …). The message is one line that names the fix; nothing has been written.
 */
export class ReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReportError";
  }
}
