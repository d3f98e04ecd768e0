import { request } from "undici";
import type { Dispatcher } from "undici";
import { startEmulator } from "../../src/emulator";
import type { RunningEmulator, StartOptions } from "../../src/emulator";

/** A key distinctive enough that finding it in a log or file cannot be a coincidence. */
export const KEY = "emu-test-key-4f1c9b";
export const ACCOUNT = "fansly_demo";
export const LINKS_PATH = `/api/fansly/${ACCOUNT}/tracking-links`;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface CallOptions {
  body?: unknown;
  /** The x-api-key to send; null sends none. Default KEY. */
  key?: string | null;
  /** Sent as-is instead of JSON.stringify(body). */
  rawBody?: string;
  contentType?: string;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

export async function call(
  emulator: RunningEmulator,
  method: Dispatcher.HttpMethod,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const key = options.key === undefined ? KEY : options.key;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {};
  if (key !== null) headers["x-api-key"] = key;
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const response = await request(`${emulator.url}${path}`, {
    method,
    headers,
    body,
    // A DELETE with a body would otherwise make undici close the connection after it (see the API notes).
    reset: false,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

/** Starts an emulator with the test key for one test; close it in afterEach. */
export function startTestEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ apiKeys: [KEY], ...options });
}

/** The payload Fansly answered with inside the two-layer envelope: `data.data.response`. */
export function responseOf(reply: Reply): unknown {
  const envelope = reply.json as { data?: { data?: { response?: unknown } } } | undefined;
  return envelope?.data?.data?.response;
}

export interface LinkJson {
  id: string;
  label: string;
  description: string;
  type: number;
}

export function linksOf(reply: Reply): LinkJson[] {
  return responseOf(reply) as LinkJson[];
}

export async function createLink(emulator: RunningEmulator, label: string, description = ""): Promise<LinkJson> {
  const reply = await call(emulator, "POST", LINKS_PATH, { body: { label, description } });
  if (reply.status !== 200) throw new Error(`create failed: ${reply.text}`);
  return responseOf(reply) as LinkJson;
}

export function messageOf(reply: Reply): string {
  return (reply.json as { message: string }).message;
}
