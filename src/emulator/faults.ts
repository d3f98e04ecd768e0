import { z } from "zod";
import type { FaultKind, FaultSpec } from "./types";

export const FAULT_KINDS = [
  "status",
  "drop",
  "apply-then-drop",
  "slow-headers",
  "truncate-body",
  "malformed-json",
  "wrong-shape",
] as const satisfies readonly FaultKind[];

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
      kind: z.enum(FAULT_KINDS, { error: `must be one of ${FAULT_KINDS.join(", ")}` }),
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
  }) satisfies z.ZodType<FaultSpec>;

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

/** mulberry32: a tiny seeded generator, plenty for picking faults. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultQueue {
  private queue: QueuedFault[] = [];
  private chaos: { rate: number; faults: readonly FaultSpec[]; random: () => number; hits: number } | undefined;

  /** Turns random faults on (see `ChaosSpec`); queued faults still come first. Throws on a malformed spec. */
  setChaos(spec: ChaosSpec): void {
    if (!(spec.rate >= 0 && spec.rate <= 1)) throw new TypeError(`chaos.rate must be a probability between 0 and 1, got ${spec.rate}`);
    if (spec.faults.length === 0) throw new TypeError('chaos.faults must list at least one fault, e.g. [{"status":503}]');
    const faults = spec.faults.map((fault) => {
      const checked = checkFault(fault);
      if (!checked.ok) throw new TypeError(`chaos.${checked.message}`);
      return checked.fault;
    });
    this.chaos = { rate: spec.rate, faults, random: seededRandom(spec.seed), hits: 0 };
  }

  /** How many requests random faults have hit so far. */
  chaosHits(): number {
    return this.chaos?.hits ?? 0;
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
    chaos.hits += 1;
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
