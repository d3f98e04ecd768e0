/**
 * What can be read of anything thrown, for every room (client, CLIs, emulator): one helper, so a Node system error,
 * an undici error and a parseArgs error are all read the same way.
 */

/** The string `code` of an undici or Node error (`ECONNRESET`, `EADDRINUSE`, `ERR_PARSE_ARGS_…`), if it has one. */
export function codeOf(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error && typeof error.code === "string") {
    return error.code;
  }
  return undefined;
}

/** The message of anything thrown: an Error's own, else its text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Anything thrown as an Error (an undici handler or a promise must be given one): itself, else one carrying its text. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
