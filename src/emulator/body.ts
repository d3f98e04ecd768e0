import type { IncomingMessage } from "node:http";
import type { RequestBody } from "./schemas";

/**
 * Reads the whole body, keeping at most `limit` bytes. Past the limit the rest is read and thrown away, so
 * memory stays bounded and the connection stays usable for the 413 that follows.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<RequestBody | "too-large"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) return "too-large";
  return classifyBody(Buffer.concat(chunks).toString("utf8"), request.headers["content-type"]);
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

function classifyBody(text: string, contentType: string | undefined): RequestBody {
  if (text.length === 0) return { kind: "empty" };
  if (!isJsonMediaType(contentType)) return { kind: "not-json-content-type", text };
  try {
    return { kind: "json", value: JSON.parse(text) as unknown };
  } catch {
    return { kind: "not-json", text };
  }
}

/** Parses JSON whatever the Content-Type says: admin calls come from curl, which sends form encoding by default. */
export function bodyAsJson(body: RequestBody | "too-large"): { ok: true; value: unknown } | { ok: false } {
  if (body === "too-large" || body.kind === "not-json") return { ok: false };
  if (body.kind === "empty") return { ok: true, value: undefined };
  if (body.kind === "json") return { ok: true, value: body.value };
  try {
    return { ok: true, value: JSON.parse(body.text) as unknown };
  } catch {
    return { ok: false };
  }
}
