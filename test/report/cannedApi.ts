/**
 * An API that answers with exactly the bodies a test gives it (the emulator only sends what the contract allows):
 * for replies the real API might send — another nesting, hostile labels, counters that are not counts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CannedApi {
  url: string;
  /** Method and path of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves `bodies[path]` (raw JSON text) with HTTP 200 to any GET of that path; anything else is a 404 envelope. */
export async function startCannedApi(bodies: Readonly<Record<string, string>>): Promise<CannedApi> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    requests.push(`${request.method ?? "?"} ${path}`);
    const body = request.method === "GET" ? bodies[path] : undefined;
    response.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    response.end(body ?? JSON.stringify({ statusCode: 404, message: "Not found", data: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => { resolve(); })),
  };
}

/** The documented envelope around `data`, as JSON text (`data` may be given as raw JSON text, for literal numbers). */
export function envelope(data: unknown): string {
  const inner = typeof data === "string" ? data : JSON.stringify(data);
  return `{"statusCode":200,"message":"Success","data":${inner},"timestamp":"2026-12-06T04:00:00.000Z"}`;
}

/** A link as the list reply carries it; `counters` are raw JSON text per field (so `-5`, `1.5`, `1e300` go as written). */
export function linkText(id: string, label: string, counters: Readonly<Record<string, string>> = {}): string {
  const fields = { clicks: "3", claims: "1", follows: "0", subscriptions: "1", totalGross: "100", totalNet: "80", ...counters };
  const numbers = Object.entries(fields).map(([name, raw]) => `"${name}":${raw}`).join(",");
  return `{"id":"${id}","label":${JSON.stringify(label)},"description":"","type":1000,${numbers}}`;
}
