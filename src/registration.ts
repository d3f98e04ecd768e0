/**
 * How both faces' TrackingLink constructors register with the SDK cheaply.
 *
 * While the SDK registers a resource it records a stack trace for each of four promises per property (about 64
 * per TrackingLink), kept only to print when PULUMI_DEBUG_PROMISE_LEAKS is set, and Pulumi's Node runtime formats
 * each through source maps: for 1,000 links that was ~6 of the program's ~7 CPU seconds in `pulumi preview`
 * (test/bench). So the constructors register with V8's stack trace limit at 0, unless that variable asks for the
 * stacks. The source position Pulumi keeps in state is taken by the SDK with its own, unlimited limit: unchanged.
 */
import { sep } from "node:path";
import type { TrafficCounter } from "./fields";

const KEEP_PROMISE_STACKS = (process.env.PULUMI_DEBUG_PROMISE_LEAKS ?? "") !== "";

/**
 * The outputs the provider computes, as undefined inputs: Pulumi registers a resource's outputs from the property
 * names it is given, so both faces pass these beside the program's arguments. `label` is not among them: the
 * program always gives it (except to `get`, where it is added the same way).
 */
export const COMPUTED_OUTPUTS_AS_INPUTS = {
  trackingLinkId: undefined,
  accountId: undefined,
  description: undefined,
  adopted: undefined,
  type: undefined,
  createdAt: undefined,
} as const;

/** The traffic counters, outputs of the dynamic face only (the plugin face reads them live: getTrackingLinkStats). */
export const TRAFFIC_COUNTER_OUTPUTS_AS_INPUTS = {
  clicks: undefined,
  claims: undefined,
  follows: undefined,
  subscriptions: undefined,
  totalGross: undefined,
  totalNet: undefined,
} as const satisfies Record<TrafficCounter, undefined>;

/**
 * Marks an error the program's own declarations caused (a bad link-set file, a link declared twice) as one of
 * Pulumi's `RunError`s, and returns it. Pulumi's Node runtime prints an uncaught RunError as its message alone, one
 * `error:` line; any other error it prints with `util.inspect`: the stack, every field (`status: undefined`, …) and
 * colour codes. The runtime knows a RunError by this member (`RunError.isInstance`, which works across copies of
 * the SDK), so the error keeps its own class and `code` for a program that catches it.
 */
export function asRunError<E extends Error>(error: E): E {
  Object.defineProperty(error, "__pulumiRunError", { value: true });
  return error;
}

/** Lowers V8's stack trace limit for one registration; call the returned function (in a `finally`) to restore it. */
function suspendPromiseStacks(): () => void {
  const stackTraceLimit = Error.stackTraceLimit;
  if (!KEEP_PROMISE_STACKS) Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = stackTraceLimit;
  };
}

/** This package's own folder (dist/, or src/ under ts-node): frames in it are the package's, not the program's. */
const PACKAGE_FOLDER = __dirname;

/**
 * Both hooks of a registration (suspendPromiseStacks, endRecordedStackAtCaller), for both faces' TrackingLink: call
 * it right before `super(…)` and the returned function in a `finally`.
 */
export function registerCheaply(): () => void {
  const restorePromiseStacks = suspendPromiseStacks();
  const restoreStackHook = endRecordedStackAtCaller();
  return () => {
    restoreStackHook();
    restorePromiseStacks();
  };
}

/**
 * Ends the stack trace the SDK records for a resource (kept in state, one per resource) at the program's own call
 * site. The frames below the program's (Node's module loader, ts-node, Pulumi's runtime), the same for every resource: measured, 11 of 14
 * frames and about 300 of a plugin-face link's 1,400 bytes of state, written again at every checkpoint. The frames
 * Pulumi shows (the program's line, and `sourcePosition`) are kept.
 *
 * How: the SDK reads `new Error().stack` while the constructor runs, and V8 builds that text through
 * `Error.prepareStackTrace`, so for the registration only that hook gets the frames down to the last of the
 * program's own below the last one in `own` (this package's folder, or one file: a TrackingLinkSet's children are
 * constructed from the package's own linkSet/ folder), the program's files and built-ins such as `Array.map` between them. It passes them on to the hook already set (ts-node's source
 * maps), or formats them as V8 does. Call the returned function (in a `finally`) to put the hook back.
 */
export function endRecordedStackAtCaller(own: string = PACKAGE_FOLDER): () => void {
  // Unset unless a tool (ts-node's source maps) installed one, whatever the typings say.
  const original = (Error as { prepareStackTrace?: PrepareStackTrace }).prepareStackTrace;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): unknown => {
    const ours = frames.map((frame) => isIn(own, frame.getFileName())).lastIndexOf(true);
    let end = ours === -1 ? frames.length : ours + 1;
    while (end < frames.length && isProgramFrame(frames[end])) end += 1;
    const kept = frames.slice(0, end);
    if (typeof original === "function") return original(error, kept);
    return [Error.prototype.toString.call(error), ...kept.map((frame) => `    at ${describeFrame(frame)}`)].join("\n");
  };
  return () => {
    // Put back as found, unset included (the typings do not admit undefined).
    Object.assign(Error, { prepareStackTrace: original });
  };
}

/** Whether `file` is `own` itself or in the folder `own`. */
function isIn(own: string, file: string | null): boolean {
  return file !== null && (file === own || file.startsWith(`${own}${sep}`));
}

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** A frame as V8 prints it: `name (file:line:column)`, the form the SDK parses. */
function describeFrame(frame: NodeJS.CallSite): string {
  const where = `${frame.getFileName() ?? "<anonymous>"}:${String(frame.getLineNumber())}:${String(frame.getColumnNumber())}`;
  const name = frame.getFunctionName();
  return name === null ? where : `${name} (${where})`;
}

/** A frame of the program itself: not Node's own (`node:…`) and not an installed package's. */
function isProgramFrame(frame: NodeJS.CallSite | undefined): boolean {
  const file = frame?.getFileName();
  return file === undefined || file === null || (!file.startsWith("node:") && !file.includes(`${sep}node_modules${sep}`));
}
