/**
 * The stack trace the SDK records for each resource (kept in state) ends with the program's own frames: the
 * frames of installed packages and Node below them (here: jest's) are left out, and the hook is put back after.
 */
import { endRecordedStackAtCaller } from "../../src/registration";

/** Stands for a resource constructor defined in this file, the way src/plugin/trackingLink.ts passes its own. */
function recordedStack(constructorFile: string): string {
  const restore = endRecordedStackAtCaller(constructorFile);
  try {
    return new Error().stack ?? "";
  } finally {
    restore();
  }
}

describe("endRecordedStackAtCaller", () => {
  test("keeps the frames down to the program's last one below the constructor, none of an installed package", () => {
    const stack = recordedStack(__filename);
    expect(stack).toContain("recordedStack.test.ts");
    expect(stack).not.toMatch(/node_modules|node:internal/);
  });

  test("puts the hook back: the next stack is whole again", () => {
    recordedStack(__filename);
    expect(new Error().stack).toMatch(/node_modules/);
  });

  test("a constructor file not on the stack leaves the stack whole", () => {
    expect(recordedStack("/nowhere/trackingLink.js")).toMatch(/node_modules/);
  });
});
