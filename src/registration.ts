/**
 * How both faces' TrackingLink constructors register with the SDK cheaply.
 *
 * While the SDK registers a resource it records a stack trace for each of four promises per property (about 64
 * per TrackingLink), kept only to print when PULUMI_DEBUG_PROMISE_LEAKS is set, and Pulumi's Node runtime formats
 * each through source maps: for 1,000 links that was ~6 of the program's ~7 CPU seconds in `pulumi preview`
 * (test/bench). So the constructors register with V8's stack trace limit at 0, unless that variable asks for the
 * stacks. The source position Pulumi keeps in state is taken by the SDK with its own, unlimited limit: unchanged.
 */
const KEEP_PROMISE_STACKS = (process.env.PULUMI_DEBUG_PROMISE_LEAKS ?? "") !== "";

/** Lowers V8's stack trace limit for one registration; call the returned function (in a `finally`) to restore it. */
export function suspendPromiseStacks(): () => void {
  const stackTraceLimit = Error.stackTraceLimit;
  if (!KEEP_PROMISE_STACKS) Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = stackTraceLimit;
  };
}
