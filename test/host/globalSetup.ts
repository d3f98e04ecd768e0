/** Builds the scratch stack once per jest run; every host test file starts its own host in it. */
import { buildStack, STACK_DIR_VARIABLE } from "./stack";

async function globalSetup(): Promise<void> {
  // Workers start after this and inherit the environment.
  process.env[STACK_DIR_VARIABLE] = await buildStack();
}

export = globalSetup;
