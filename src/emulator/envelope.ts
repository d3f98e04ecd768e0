import { STATUS_CODES } from "node:http";
import { EmulatorHttpError, INVALID_PARAMETERS_PREFIX } from "./errors";

/** The documented shape of every apifansly reply, success or error. */
interface Envelope {
  statusCode: number;
  message: string;
  data: unknown;
  timestamp: string;
}

/** Fansly's own answer, which account-scoped routes wrap one level below the envelope (documented for DELETE). */
export interface FanslyAnswer {
  status_code: number;
  data: { success: true; response?: unknown };
}

export interface ApiReply {
  status: number;
  envelope: Envelope;
}

const SUCCESS_MESSAGE = "Success";
/** Documented wording of a 429; the client may match on it, so it is kept verbatim. */
export const RATE_LIMITED_MESSAGE = "Rate limit exceeded. Please wait before making more requests.";
export const UNAUTHORIZED_MESSAGE = "Invalid or missing API key";

// Messages for statuses the emulator sends only because a fault asked for them. Documented wordings first;
// the rest fall back to the HTTP reason phrase, which is what a proxy in front of apifansly would say.
const FAULT_MESSAGES: Readonly<Partial<Record<number, string>>> = {
  400: INVALID_PARAMETERS_PREFIX,
  401: UNAUTHORIZED_MESSAGE,
  429: RATE_LIMITED_MESSAGE,
};

export function messageForStatus(status: number): string {
  return FAULT_MESSAGES[status] ?? STATUS_CODES[status] ?? "Emulated fault";
}

export function successReply(data: unknown): ApiReply {
  return {
    status: 200,
    envelope: { statusCode: 200, message: SUCCESS_MESSAGE, data, timestamp: new Date().toISOString() },
  };
}

export function errorReply(status: number, message: string): ApiReply {
  return { status, envelope: { statusCode: status, message, data: null, timestamp: new Date().toISOString() } };
}

/** Wraps a payload the way Fansly answers (`{ success, response }`) inside apifansly's `status_code` layer. */
export function fanslyAnswer(response: unknown): FanslyAnswer {
  return { status_code: 200, data: { success: true, response } };
}

/**
 * The one place a thrown error becomes a reply. Anything that is not an `EmulatorHttpError` is an emulator bug:
 * it becomes the documented 500 rather than a hung request, and its details stay out of the reply.
 */
export function replyForError(error: unknown): ApiReply {
  if (error instanceof EmulatorHttpError) return errorReply(error.status, error.message);
  return errorReply(500, "Internal server error");
}
