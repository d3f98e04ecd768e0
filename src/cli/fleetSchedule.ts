/**
 * In what order and how many at a time the fleet runner starts its stacks (fleetRun.ts runs each one).
 *
 * `concurrency` stacks work at once. When requests wait for the fleet's shared budget, the key's rate, not the
 * machine, is what holds the fleet back: then up to `concurrency` more stacks start early, so that their start (CLI,
 * language host, program, provider: seconds of CPU each) is over and their requests are queued by the time the minute
 * frees. Without that, each stack started after the first ones leaves the budget idle for its start: at 600/min,
 * 8 stacks 2 at a time took 1.23 × the API's floor. The early stacks only wait for slots, first come first served,
 * so the stacks started first still end first.
 */
import { asError } from "../thrown";

/** How often the runner looks whether the shared budget, not the machine, is what holds the stacks back. */
const BUDGET_LOOK_MS = 250;

export interface ScheduleOptions<T> {
  stacks: readonly string[];
  concurrency: number;
  /** True while requests wait for the shared budget. */
  budgetBound: () => boolean;
  /** Runs one stack; must not reject (a failed stack is an outcome). */
  run: (stack: string) => Promise<T>;
}

/** Runs every stack as the rules above say; resolves with one outcome per stack, in stack order. */
export function scheduleStacks<T>(options: ScheduleOptions<T>): Promise<T[]> {
  const queue = [...options.stacks];
  const outcomes = new Map<string, T>();
  const mostAtOnce = 2 * options.concurrency;
  let running = 0;
  return new Promise<T[]>((resolve, reject) => {
    if (queue.length === 0) {
      resolve([]);
      return;
    }
    const startOne = (): void => {
      const stack = queue.shift();
      if (stack === undefined) return;
      running++;
      options.run(stack).then(
        (outcome) => {
          running--;
          outcomes.set(stack, outcome);
          if (outcomes.size === options.stacks.length) {
            clearInterval(budgetLook);
            resolve(options.stacks.map((name) => outcomes.get(name) as T));
          } else fill();
        },
        (error: unknown) => {
          clearInterval(budgetLook);
          reject(asError(error));
        },
      );
    };
    const fill = (): void => {
      while (queue.length > 0 && running < options.concurrency) startOne();
    };
    const budgetLook = setInterval(() => {
      if (queue.length > 0 && running < mostAtOnce && options.budgetBound()) startOne();
    }, BUDGET_LOOK_MS);
    fill();
  });
}
