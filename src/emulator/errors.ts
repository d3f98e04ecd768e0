/**
 * The only error a handler throws on purpose. The server turns it into the documented envelope in one place
 * (`replyForError` in envelope.ts), so no handler writes a reply itself.
 */
export class EmulatorHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "EmulatorHttpError";
  }
}

/** The documented prefix of every 400 for a bad body; the emulator appends which field is wrong and why. */
export const INVALID_PARAMETERS_PREFIX = "Invalid request parameters";

export function invalidParameters(detail: string): EmulatorHttpError {
  return new EmulatorHttpError(400, `${INVALID_PARAMETERS_PREFIX}: ${detail}`);
}

export function accountNotFound(): EmulatorHttpError {
  return new EmulatorHttpError(404, "Account not found");
}

export function trackingLinkNotFound(): EmulatorHttpError {
  return new EmulatorHttpError(404, "Tracking link not found");
}

export function builtInLinkIsReadOnly(): EmulatorHttpError {
  return new EmulatorHttpError(
    400,
    "Built-in tracking links (For You, Search, Suggestions) cannot be changed or deleted",
  );
}

/**
 * The message of anything thrown. Duck-typed rather than `instanceof Error`: errors from Node's core can come
 * from another realm (a test runner's sandbox), where `instanceof` says no to a real Error.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message;
  }
  return String(error);
}

