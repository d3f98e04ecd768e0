/**
 * `parseReply`: the only way a reply becomes a value. It checks the envelope, finds failures wherever the API
 * puts them (HTTP status, envelope `statusCode`, Fansly's inner `status_code`, `success: false`), and extracts
 * the payload the operation needs, raising `FanslyProtocolError` with a short redacted excerpt when it is not there.
 */
import { errorFromReply, FanslyProtocolError, type RequestSite } from "../errors";
import { parseJsonKeepingBigIntegers } from "./json";
import { excerptOf } from "../redact";
import { retryAfterMsFrom } from "./retry";
import { AccountScopedDataSchema, EnvelopeSchema, FanslyAnswerSchema, type Envelope, type Extraction } from "../schemas";
import type { RawReply } from "./transport";

const ENVELOPE_EXPECTED = "a JSON envelope { statusCode, message, data, timestamp }";
/** How much of a non-JSON error page (a proxy's HTML 502, say) to quote as the server's message. */
const ERROR_PAGE_EXCERPT_LENGTH = 120;
/**
 * `success: false` with no failing status anywhere is undocumented; we treat it as the request being refused,
 * i.e. like a 400 (a guess, see the README's "what the contract leaves uncertain").
 */
const UNSUCCESSFUL_WITHOUT_STATUS = 400;

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function parseReply<T>(reply: RawReply, site: RequestSite, extraction: Extraction<T>): T {
  const fields = { ...site, status: reply.status };
  const failWith = (status: number, serverMessage: string): never => {
    const retryAfterMs = retryAfterMsFrom(reply.headers);
    throw errorFromReply({ ...site, status, serverMessage, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  };

  let json: unknown;
  try {
    json = parseJsonKeepingBigIntegers(reply.body);
  } catch {
    if (!isSuccess(reply.status)) failWith(reply.status, excerptOf(reply.body, ERROR_PAGE_EXCERPT_LENGTH));
    throw new FanslyProtocolError(`${ENVELOPE_EXPECTED} (the body is not JSON)`, excerptOf(reply.body), fields);
  }

  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    if (!isSuccess(reply.status)) failWith(reply.status, excerptOf(reply.body, ERROR_PAGE_EXCERPT_LENGTH));
    throw new FanslyProtocolError(ENVELOPE_EXPECTED, excerptOf(reply.body), fields);
  }

  const failure = failureIn(reply.status, envelope.data);
  if (failure !== undefined) failWith(failure.status, failure.message);

  const extracted = extraction.extract(envelope.data.data);
  if (!extracted.ok) {
    throw new FanslyProtocolError(`${extraction.expected} (${extracted.reason})`, excerptOf(reply.body), fields);
  }
  return extracted.value;
}

/** The first failing layer of a reply, outermost first, with the most specific message available. */
function failureIn(httpStatus: number, envelope: Envelope): { status: number; message: string } | undefined {
  if (!isSuccess(httpStatus)) return { status: httpStatus, message: envelope.message };
  if (!isSuccess(envelope.statusCode)) return { status: envelope.statusCode, message: envelope.message };

  const scoped = AccountScopedDataSchema.safeParse(envelope.data);
  if (!scoped.success) return undefined;
  const answer = FanslyAnswerSchema.safeParse(scoped.data.data);
  const innerMessage = answer.success ? (answer.data.message ?? messageOf(answer.data.error)) : undefined;
  const innerStatus = scoped.data.status_code;
  if (innerStatus !== undefined && !isSuccess(innerStatus)) {
    return { status: innerStatus, message: innerMessage ?? envelope.message };
  }
  if (answer.success && answer.data.success === false) {
    return { status: UNSUCCESSFUL_WITHOUT_STATUS, message: innerMessage ?? envelope.message };
  }
  return undefined;
}

function messageOf(error: unknown): string | undefined {
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    for (const key of ["details", "message"]) {
      const value: unknown = (error as Record<string, unknown>)[key];
      if (typeof value === "string") return value;
    }
  }
  return undefined;
}
