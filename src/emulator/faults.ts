import { z } from "zod";
import { seededRandom } from "./seededRandom";

/** What a fault does to the operation a request asks for. */
export type FaultEffect = "refused" | "skipped" | "applied";
/** How the reply goes out: as the operation earned it, a reset socket, half the body, or a fixed 200 body. */
export type FaultDelivery = { kind: "reply" } | { kind: "reset" } | { kind: "half-body" } | { kind: "fixed-200"; body: string };

/**
 * Every fault kind, in one table: what it does to the operation and to the reply. `FaultKind`, `FAULT_KINDS` and the
 * server's behaviour all come from here, so adding a kind that reuses a delivery is a one-line change.
 */
export const FAULT_KIND_TABLE = {
  /** Reply with `status` and the documented error envelope; the operation is not applied. */
  status: { effect: "refused", delivery: { kind: "reply" } },
  /** Destroy the socket before replying (a connection reset); the operation is not applied. */
  drop: { effect: "skipped", delivery: { kind: "reset" } },
  /** Apply the operation, then destroy the socket: the change happened but the reply is lost. */
  "apply-then-drop": { effect: "applied", delivery: { kind: "reset" } },
  /** Apply, wait `latencyMs`, then reply normally (for client timeouts). */
  "slow-headers": { effect: "applied", delivery: { kind: "reply" } },
  /** Apply, send headers with the full Content-Length, write half the body, destroy the socket. */
  "truncate-body": { effect: "applied", delivery: { kind: "half-body" } },
  /** Apply, reply 200 with a body that is not JSON. */
  "malformed-json": {
    effect: "applied",
    delivery: { kind: "fixed-200", body: '{"statusCode":200,"message":"Success","data":{"status_code":200,"data":' },
  },
  /** Apply, reply 200 with valid JSON of the wrong shape (`{"ok":true}`). */
  "wrong-shape": { effect: "applied", delivery: { kind: "fixed-200", body: '{"ok":true}' } },
} as const satisfies Record<string, { effect: FaultEffect; delivery: FaultDelivery }>;

/** What a fault does to the request it hits (see `FAULT_KIND_TABLE`). */
export type FaultKind = keyof typeof FAULT_KIND_TABLE;
export const FAULT_KINDS = Object.keys(FAULT_KIND_TABLE) as readonly FaultKind[];

// 1xx replies are not final answers in HTTP, so a fault cannot end a request with one.
const MIN_FAULT_STATUS = 200;
const MAX_FAULT_STATUS = 599;
// Longer than any sane client timeout, short enough that a typo does not park a request for hours.
const MAX_FAULT_LATENCY_MS = 120_000;
const FAULT_FIELDS = ["method", "path", "kind", "status", "retryAfter", "times", "latencyMs"];
export const FAULT_EXAMPLE = '{"status":503,"times":2}';

const FaultSpecSchema = z
  .strictObject(
    {
      method: z.string({ error: 'must be an HTTP method such as "POST"' }).regex(/^[A-Za-z]+$/, {
        error: 'must be an HTTP method such as "POST"',
      }),
      path: z.string({ error: 'must be text the request path contains, such as "/tracking-links"' }),
      kind: z.enum(FAULT_KINDS as [FaultKind, ...FaultKind[]], { error: `must be one of ${FAULT_KINDS.join(", ")}` }),
      status: z
        .number({ error: `must be a number between ${MIN_FAULT_STATUS} and ${MAX_FAULT_STATUS}` })
        .int({ error: `must be a number between ${MIN_FAULT_STATUS} and ${MAX_FAULT_STATUS}` })
        .min(MIN_FAULT_STATUS, { error: `must be a number between ${MIN_FAULT_STATUS} and ${MAX_FAULT_STATUS}` })
        .max(MAX_FAULT_STATUS, { error: `must be a number between ${MIN_FAULT_STATUS} and ${MAX_FAULT_STATUS}` }),
      retryAfter: z.union([z.number().int().nonnegative(), z.string().min(1)], {
        error: 'must be whole seconds (a number) or an HTTP date (a string such as "Wed, 21 Oct 2026 07:28:00 GMT")',
      }),
      times: z
        .number({ error: "must be a whole number of at least 1" })
        .int({ error: "must be a whole number of at least 1" })
        .min(1, { error: "must be a whole number of at least 1" }),
      latencyMs: z
        .number({ error: `must be milliseconds between 0 and ${MAX_FAULT_LATENCY_MS}` })
        .int({ error: `must be milliseconds between 0 and ${MAX_FAULT_LATENCY_MS}` })
        .min(0, { error: `must be milliseconds between 0 and ${MAX_FAULT_LATENCY_MS}` })
        .max(MAX_FAULT_LATENCY_MS, { error: `must be milliseconds between 0 and ${MAX_FAULT_LATENCY_MS}` }),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `has unknown field(s) ${issue.keys.join(", ")}; known fields: ${FAULT_FIELDS.join(", ")}`
          : "must be a JSON object",
    },
  )
  .partial()
  .refine((spec) => (spec.kind ?? "status") !== "status" || spec.status !== undefined, {
    error: 'is required when kind is "status" (the default)',
    path: ["status"],
  });

/**
 * A fault is data: the first queued fault matching a request, with uses left, is consumed by it. Fields: `method`
 * (any when absent), `path` (matches when the request path contains it), `kind` (default "status"), `status` (for
 * kind "status"), `retryAfter` (a number is seconds, sent as both `X-RateLimit-Retry-After` and `Retry-After`; a
 * string is sent verbatim as `Retry-After`, an HTTP date), `times` (default 1), `latencyMs` (extra delay; for
 * "slow-headers", before the headers).
 */
export type FaultSpec = z.infer<typeof FaultSpecSchema>;

export type FaultCheck = { ok: true; fault: FaultSpec } | { ok: false; message: string };

/** Validates a fault; the message names the field, says what it must be, and shows an example. */
export function checkFault(input: unknown): FaultCheck {
  const parsed = FaultSpecSchema.safeParse(input);
  if (parsed.success) return { ok: true, fault: parsed.data };
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length === 0 ? `fault ${issue.message}` : `fault.${issue.path.map(String).join(".")} ${issue.message}`,
  );
  return { ok: false, message: `${problems.join("; ")}; example: ${FAULT_EXAMPLE}` };
}

/** A fault in the queue, with how many more requests it will hit. */
export interface QueuedFault extends FaultSpec {
  remaining: number;
}

/** A fault as it hits a request: its kind is settled. */
export interface ActiveFault extends FaultSpec {
  kind: FaultKind;
}

/**
 * Random faults for soak tests: each API request, with probability `rate`, gets one of `faults` (chosen evenly).
 * Seeded, so a failing run can be repeated; the order of concurrent requests still decides which one is hit.
 */
export interface ChaosSpec {
  /** Probability in [0, 1] that a request is hit. */
  rate: number;
  /** Seed of the pseudo-random sequence. */
  seed: number;
  /** The faults to choose from (`times` is ignored: each hit is one request). */
  faults: readonly FaultSpec[];
}

export class FaultQueue {
  private queue: QueuedFault[] = [];
  private chaos: { rate: number; faults: readonly FaultSpec[]; random: () => number } | undefined;

  /** Turns random faults on (see `ChaosSpec`); queued faults still come first. Throws on a malformed spec. */
  setChaos(spec: ChaosSpec): void {
    if (!(spec.rate >= 0 && spec.rate <= 1)) throw new TypeError(`chaos.rate must be a probability between 0 and 1, got ${spec.rate}`);
    if (spec.faults.length === 0) throw new TypeError('chaos.faults must list at least one fault, e.g. [{"status":503}]');
    const faults = spec.faults.map((fault) => {
      const checked = checkFault(fault);
      if (!checked.ok) throw new TypeError(`chaos.${checked.message}`);
      return checked.fault;
    });
    this.chaos = { rate: spec.rate, faults, random: seededRandom(spec.seed) };
  }

  /** Throws a TypeError with `checkFault`'s message when the fault is malformed. */
  add(input: unknown): QueuedFault {
    const checked = checkFault(input);
    if (!checked.ok) throw new TypeError(checked.message);
    const queued = { ...checked.fault, remaining: checked.fault.times ?? 1 };
    this.queue.push(queued);
    return { ...queued };
  }

  /** Consumes one use of the first fault matching this request; used-up faults leave the queue. */
  take(method: string, path: string): ActiveFault | undefined {
    const index = this.queue.findIndex((fault) => matches(fault, method, path));
    const fault = this.queue[index];
    if (fault === undefined) return this.takeChaos(method, path);
    fault.remaining -= 1;
    if (fault.remaining === 0) this.queue.splice(index, 1);
    return { ...withoutCount(fault), kind: fault.kind ?? "status" };
  }

  private takeChaos(method: string, path: string): ActiveFault | undefined {
    const chaos = this.chaos;
    if (chaos === undefined || chaos.random() >= chaos.rate) return undefined;
    const candidates = chaos.faults.filter((fault) => matches(fault, method, path));
    const picked = candidates[Math.floor(chaos.random() * candidates.length)];
    if (picked === undefined) return undefined;
    return { ...picked, kind: picked.kind ?? "status" };
  }

  list(): readonly QueuedFault[] {
    return this.queue.map((fault) => ({ ...fault }));
  }

  clear(): number {
    const cleared = this.queue.length;
    this.queue = [];
    return cleared;
  }
}

function withoutCount(fault: QueuedFault): FaultSpec {
  const spec: FaultSpec & { remaining?: number } = { ...fault };
  delete spec.remaining;
  return spec;
}

function matches(fault: FaultSpec, method: string, path: string): boolean {
  if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  return fault.path === undefined || path.includes(fault.path);
}
