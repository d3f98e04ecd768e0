import { removeStack, STACK_DIR_VARIABLE } from "./stack";

async function globalTeardown(): Promise<void> {
  const dir = process.env[STACK_DIR_VARIABLE];
  if (dir !== undefined) await removeStack(dir);
}

export = globalTeardown;
