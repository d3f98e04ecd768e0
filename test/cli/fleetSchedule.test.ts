/** How many stacks the fleet runner has at work at once (src/cli/fleetSchedule.ts), with stand-in stacks. */
import { scheduleStacks } from "../../src/cli/fleetSchedule";

/** Stacks that end when the test says so; records which are running. */
function standIns() {
  const running = new Set<string>();
  const finish = new Map<string, (outcome: string) => void>();
  const run = (stack: string): Promise<string> => {
    running.add(stack);
    return new Promise<string>((resolve) => {
      finish.set(stack, (outcome) => {
        running.delete(stack);
        resolve(outcome);
      });
    });
  };
  const end = async (stack: string): Promise<void> => {
    finish.get(stack)?.(`${stack} done`);
    await jest.advanceTimersByTimeAsync(0);
  };
  return { running, run, end };
}

const STACKS = ["a", "b", "c", "d", "e", "f"];

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
});
afterEach(() => {
  jest.useRealTimers();
});

test("while the rate budget does not bind, `concurrency` stacks run at once, the next starting as one ends", async () => {
  const stacks = standIns();
  const all = scheduleStacks({ stacks: STACKS, concurrency: 2, budgetBound: () => false, run: stacks.run });
  await jest.advanceTimersByTimeAsync(10_000);
  expect([...stacks.running]).toEqual(["a", "b"]);
  await stacks.end("b");
  expect([...stacks.running]).toEqual(["a", "c"]);
  for (const stack of ["a", "c", "d", "e", "f"]) {
    await jest.advanceTimersByTimeAsync(1_000);
    await stacks.end(stack);
  }
  await expect(all).resolves.toEqual(STACKS.map((stack) => `${stack} done`));
});

test("while requests wait for the budget, up to `concurrency` more stacks start early, never more", async () => {
  const stacks = standIns();
  let bound = true;
  const all = scheduleStacks({ stacks: STACKS, concurrency: 2, budgetBound: () => bound, run: stacks.run });
  await jest.advanceTimersByTimeAsync(10_000);
  expect([...stacks.running]).toEqual(["a", "b", "c", "d"]);
  await stacks.end("a");
  await jest.advanceTimersByTimeAsync(1_000);
  expect([...stacks.running]).toEqual(["b", "c", "d", "e"]);
  bound = false; // the budget frees: no stack beyond the early ones starts until two end
  await stacks.end("b");
  await stacks.end("c");
  await jest.advanceTimersByTimeAsync(10_000);
  expect([...stacks.running]).toEqual(["d", "e"]);
  await stacks.end("d");
  expect([...stacks.running]).toEqual(["e", "f"]);
  await stacks.end("f");
  await stacks.end("e");
  await expect(all).resolves.toEqual(STACKS.map((stack) => `${stack} done`));
  expect(jest.getTimerCount()).toBe(0);
});

test("no stacks: nothing runs, nothing is left waiting", async () => {
  await expect(scheduleStacks({ stacks: [], concurrency: 2, budgetBound: () => true, run: () => Promise.resolve("x") })).resolves.toEqual([]);
  expect(jest.getTimerCount()).toBe(0);
});
